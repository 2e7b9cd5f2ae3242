#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"
#include "StoredRunJson.h"
#include "core/ResultCsv.h"
#include "core/SafeFile.h"
#include "experiment/StoredRun.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace prunescope::cli {

int exportCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("export", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db", "out", "format", "torchscript", "state-dict"}, {"force"});
        // Files are never overwritten (nor symlinks followed) unless asked: core/SafeFile.h.
        const FileOverwrite overwrite = args.has("force") ? FileOverwrite::Replace : FileOverwrite::Refuse;
        const int64_t runId = parseRunId(args, "export");
        const bool exportsModel = args.has("torchscript") || args.has("state-dict");
        if (int(args.has("out")) + int(args.has("format")) + int(exportsModel) != 1)
            throw UsageError("export needs one of --out DIR, --format json|csv-epochs|csv-layers, or "
                             "--torchscript FILE / --state-dict FILE");
        RunStore store(QString::fromStdString(databasePath(args)), StoreAccess::ReadOnly);
        warnIfDamaged(store);
        const auto run = store.findRun(runId);
        if (!run) {
            std::cerr << "prunescope-cli export: no run " << runId << " in " << store.path().toStdString() << "\n";
            return int(kStorage);
        }
        if (exportsModel) {
            if (run->summary.modelFile.empty()) {
                std::cerr << "prunescope-cli export: run " << runId << " has no saved network (it did not finish, "
                          << "or it ran before networks were saved)\n";
                return int(kStorage);
            }
            exportRunModel(run->summary.modelFile, args.value("torchscript", ""), args.value("state-dict", ""),
                           overwrite);
            for (const char* option : {"torchscript", "state-dict"}) {
                if (args.has(option))
                    std::cout << args.value(option) << "\n";
            }
            return int(kOk);
        }
        if (args.has("format")) {
            const std::string format = args.value("format");
            if (format == "json")
                std::cout << runJson(store, *run).dump(2) << "\n";
            else if (format == "csv-epochs")
                std::cout << epochsCsv(store.epochs(runId));
            else if (format == "csv-layers")
                std::cout << layersCsv(store.pruningSteps(runId, false));
            else
                throw UsageError("--format must be json, csv-epochs or csv-layers, got '" + format + "'");
            return int(kOk);
        }
        const std::filesystem::path directory = args.value("out");
        const std::string stem = "run-" + std::to_string(runId);
        const std::pair<std::string, std::string> files[]
            = {{stem + ".json", runJson(store, *run).dump(2) + "\n"},
               {stem + "-epochs.csv", epochsCsv(store.epochs(runId))},
               {stem + "-layers.csv", layersCsv(store.pruningSteps(runId, false))}};
        // All three are checked before any is written, so a refusal leaves the folder as it was.
        if (overwrite == FileOverwrite::Refuse) {
            for (const auto& [name, content] : files) {
                if (std::filesystem::exists(std::filesystem::symlink_status(directory / name)))
                    throw FileExistsError((directory / name).string() + " already exists; pass --force to replace it");
            }
        }
        for (const auto& [name, content] : files) {
            const auto path = directory / name;
            writeFileSafely(path.string(), overwrite, content);
            std::cout << path.string() << "\n";
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
