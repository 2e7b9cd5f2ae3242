// libFuzzer target: opening a run database (storage/RunStore) from any bytes, the way
// `prunescope-cli list/show/export` (read-only) and `run` (read-write) do, and salvaging it the
// way `prunescope-cli recover` does. Each input is written to a file in a private scratch folder
// and opened there; only that folder is ever written.
//
// Per input: the header check (not SQLite), the foreign-database refusal (another application's
// tables or id), the schema version check (newer than this program), SQLite's quick check (damage);
// then reading every run (list, show: epochs, steps, masks) and, read-write on a copy, recording
// a run; on a damaged file, `recover` into a new file. StorageError is the store's answer to a bad
// file. Findings: a crash, a leak, UB, an allocation over -malloc_limit_mb, another exception type,
// or a file the store refused (as foreign, newer or damaged) that is not byte-for-byte unchanged.

#include "FuzzSupport.h"
#include "RunStore.h"
#include "RunStoreRecovery.h"

#include <QCoreApplication>
#include <QString>

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using namespace prunescope;
namespace fs = std::filesystem;

namespace {

// The quick-check result is cached per path and state (size and modification time, in ms): each
// input gets a modification time of its own, so no input is judged by the previous one's check.
void giveUniqueModificationTime(const fs::path& path)
{
    static int64_t counter = 0;
    ++counter;
    const struct timespec times[2] = {{time_t(1'000'000'000 + counter), 0}, {time_t(1'000'000'000 + counter), 0}};
    fuzz::fuzzCheck(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0, "the harness can set a file's time");
}

// Refusals that promise the file was left unchanged.
bool promisesUnchanged(const std::string& message)
{
    return message.find("is not a PruneScope database") != std::string::npos
        || message.find("written by a newer PruneScope") != std::string::npos
        || message.find("is damaged") != std::string::npos;
}

void readEverything(const RunStore& store)
{
    for (const StoredRun& run : store.listRuns()) {
        try {
            (void)store.findRun(run.id);
            (void)store.epochs(run.id);
            (void)store.pruningSteps(run.id, /*withMasks=*/true);
        } catch (const StorageError&) {
            // One damaged run: `show` reports it; the others still read.
        }
    }
    (void)store.trashedRuns();
}

void removeScratchFiles(const fs::path& folder)
{
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(folder))
        fs::remove_all(entry.path(), ignored);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    // The QSQLITE plugin is found through the application object, as in the CLI.
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const fs::path& folder = fuzz::scratchFolder("runstore");
    removeScratchFiles(folder);
    const std::vector<uint8_t> input(data, data + size);
    const fs::path readPath = folder / "read.sqlite";
    const fs::path writePath = folder / "write.sqlite";
    const fs::path recoveredPath = folder / "recovered.sqlite";

    // Read-only, as list, show and export open it.
    fuzz::writeBytes(readPath, data, size);
    giveUniqueModificationTime(readPath);
    bool damaged = false;
    try {
        const RunStore store(QString::fromStdString(readPath.string()), StoreAccess::ReadOnly);
        damaged = !store.damage().empty();
        readEverything(store);
        if (damaged)
            fuzz::fuzzCheck(fuzz::readBytes(readPath) == input, "a damaged file opened read-only is not written");
    } catch (const StorageError& e) {
        if (promisesUnchanged(e.what()))
            fuzz::fuzzCheck(fuzz::readBytes(readPath) == input, "a refused file is left byte-for-byte unchanged");
    }

    // Salvage, as `recover` does: the damaged file is only read.
    if (damaged) {
        const std::vector<uint8_t> before = fuzz::readBytes(readPath);
        try {
            const RecoveryReport report = recoverRuns(QString::fromStdString(readPath.string()),
                                                      QString::fromStdString(recoveredPath.string()));
            const RunStore recovered(QString::fromStdString(recoveredPath.string()), StoreAccess::ReadOnly);
            fuzz::fuzzCheck(recovered.damage().empty(), "a recovered database is not damaged");
            // Every run the report calls recovered is there; every other run there is named in a loss
            // (a run whose own row was copied but some of whose rows were not).
            std::vector<StoredRun> stored = recovered.listRuns();
            for (StoredRun& run : recovered.trashedRuns())
                stored.push_back(std::move(run));
            for (const int64_t id : report.recoveredRuns)
                fuzz::fuzzCheck(
                    std::any_of(stored.begin(), stored.end(), [&](const StoredRun& r) { return r.id == id; }),
                    "every run recover reports as recovered is in the new database");
            for (const StoredRun& run : stored) {
                const bool whole = std::count(report.recoveredRuns.begin(), report.recoveredRuns.end(), run.id) > 0;
                const std::string prefix = "run " + std::to_string(run.id) + ": ";
                const bool reported = std::any_of(report.losses.begin(), report.losses.end(),
                                                  [&](const std::string& loss) { return loss.rfind(prefix, 0) == 0; });
                if (!whole && !reported)
                    std::fprintf(stderr, "run %lld is in the new database, neither recovered nor lost\n",
                                 static_cast<long long>(run.id));
                fuzz::fuzzCheck(whole || reported,
                                "a run in the new database is recovered whole or its loss is reported");
            }
        } catch (const StorageError&) {
        }
        fuzz::fuzzCheck(fuzz::readBytes(readPath) == before, "recover never writes the damaged file");
    }

    // Read-write on a copy, as run and the window open it.
    fuzz::writeBytes(writePath, data, size);
    giveUniqueModificationTime(writePath);
    try {
        RunStore store(QString::fromStdString(writePath.string()), StoreAccess::ReadWrite);
        readEverything(store);
        ExperimentConfig config = defaultExperiment();
        const int64_t id = store.beginRun(config, "fuzz");
        store.endRun(id, RunStatus::Failed, "fuzz");
        fuzz::fuzzCheck(store.findRun(id).has_value(), "a run just recorded reads back");
    } catch (const StorageError& e) {
        if (promisesUnchanged(e.what()))
            fuzz::fuzzCheck(fuzz::readBytes(writePath) == input, "a refused file is left byte-for-byte unchanged");
    }

    // Nothing but the store's own files appeared in the scratch folder.
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        const bool ours = name.rfind("read.sqlite", 0) == 0 || name.rfind("write.sqlite", 0) == 0
            || name.rfind("recovered.sqlite", 0) == 0;
        if (!ours)
            std::fprintf(stderr, "unexpected file: %s\n", name.c_str());
        fuzz::fuzzCheck(ours, "the store writes only its database and SQLite's files beside it");
    }
    return 0;
}
