#include "RunStore.h"
#include "SyntheticIdx.h"
#include "SyntheticImages.h"
#include "core/ExperimentPresets.h"
#include "core/MethodInfo.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <chrono>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <fstream>
#include <sstream>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace prunescope;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

std::string quote(const std::string& arg)
{
    std::string quoted = "'";
    for (char c : arg)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string slurp(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

class CliTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("prunescope-cli-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        testsupport::writeSyntheticIdxDataset((m_dir / "data").string(), 600, 200);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string db() const { return (m_dir / "runs.sqlite").string(); }

    // The options of a quick run on the synthetic data, in this test's own database and cache.
    std::vector<std::string> tinyRun(int epochs = 2) const
    {
        return {"run",
                "--db",
                db(),
                "--data",
                (m_dir / "data").string(),
                "--model",
                "lenet300100",
                "--epochs",
                std::to_string(epochs),
                "--finetune-epochs",
                "1",
                "--batch-size",
                "50",
                "--threads",
                "2",
                "--cache-dir",
                (m_dir / "cache").string(),
                "--sparsity",
                "0.8"};
    }

    CommandResult cli(const std::vector<std::string>& args) const
    {
        std::string command = quote(PRUNESCOPE_CLI_PATH);
        for (const auto& arg : args)
            command += " " + quote(arg);
        const fs::path errPath = m_dir / "stderr.txt";
        command += " 2>" + quote(errPath.string()) + " </dev/null";
        CommandResult result;
        FILE* pipe = popen(command.c_str(), "r");
        char buffer[4096];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
            result.out.append(buffer, n);
        const int status = pclose(pipe);
        result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        result.err = slurp(errPath);
        return result;
    }

    // Starts a run in the background with stderr on a pipe, reads until `marker` appears.
    pid_t startRunAndWaitFor(const std::vector<std::string>& args, const std::string& marker, std::string& seen) const
    {
        int pipeFds[2];
        EXPECT_EQ(pipe(pipeFds), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
        std::vector<std::string> argv = {PRUNESCOPE_CLI_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> cargv;
        for (auto& a : argv)
            cargv.push_back(a.data());
        cargv.push_back(nullptr);
        pid_t pid = 0;
        EXPECT_EQ(posix_spawn(&pid, PRUNESCOPE_CLI_PATH, &actions, nullptr, cargv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
        close(pipeFds[1]);
        char buffer[1024];
        ssize_t n;
        // Blocking reads: the child's own output is the synchronisation, no sleeps.
        while (seen.find(marker) == std::string::npos && (n = read(pipeFds[0], buffer, sizeof buffer)) > 0)
            seen.append(buffer, size_t(n));
        m_pipeToClose = pipeFds[0];
        return pid;
    }

    fs::path m_dir;
    mutable int m_pipeToClose = -1;
};

}  // namespace

TEST_F(CliTest, RunStoresAFinishedRunThatListShowAndExportRead)
{
    auto args = tinyRun();
    args.push_back("--json");
    const CommandResult run = cli(args);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const json result = json::parse(run.out);
    EXPECT_EQ(result.at("status"), "finished");
    const int64_t runId = result.at("run_id").get<int64_t>();
    EXPECT_GT(result.at("summary").at("test_accuracy").get<double>(), 0.5);
    EXPECT_GT(result.at("summary").at("compression_ratio").get<double>(), 3.0);
    EXPECT_NE(run.err.find("ETA"), std::string::npos) << "progress goes to stderr";

    const CommandResult list = cli({"list", "--db", db(), "--json"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    const json runs = json::parse(list.out);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].at("status"), "finished");
    EXPECT_EQ(runs[0].at("summary").at("test_accuracy"), result.at("summary").at("test_accuracy"));

    const CommandResult show = cli({"show", std::to_string(runId), "--db", db(), "--json"});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    const json shown = json::parse(show.out);
    EXPECT_EQ(shown.at("config").at("model"), "lenet300100");
    EXPECT_EQ(shown.at("epochs").size(), 3u);
    EXPECT_EQ(shown.at("pruning_steps").size(), 2u);

    const CommandResult exported
        = cli({"export", std::to_string(runId), "--db", db(), "--out", (m_dir / "out").string()});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    const std::string epochs = slurp(m_dir / "out" / ("run-" + std::to_string(runId) + "-epochs.csv"));
    EXPECT_EQ(epochs.rfind("phase,epoch,learning_rate", 0), 0u);
    EXPECT_EQ(std::count(epochs.begin(), epochs.end(), '\n'), 4);
    const std::string layers = slurp(m_dir / "out" / ("run-" + std::to_string(runId) + "-layers.csv"));
    EXPECT_NE(layers.find("1,fc1,linear,300x784,235200,"), std::string::npos) << layers;
    EXPECT_NO_THROW(json::parse(slurp(m_dir / "out" / ("run-" + std::to_string(runId) + ".json"))));

    const CommandResult missing = cli({"show", "999", "--db", db()});
    EXPECT_EQ(missing.exitCode, 4);
    EXPECT_NE(missing.err.find("no run 999"), std::string::npos) << missing.err;
}

// Exports once overwrote files without a word and followed a symlink named run-1.json onto its
// target. Now an existing file is kept (exit 2, nothing written) unless --force, and a symlink at
// the destination is replaced, never followed.
TEST_F(CliTest, ExportsNeverOverwriteWithoutForceAndNeverFollowASymlink)
{
    auto args = tinyRun(1);
    args.push_back("--json");
    const CommandResult run = cli(args);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const std::string id = std::to_string(json::parse(run.out).at("run_id").get<int64_t>());
    const fs::path out = m_dir / "out";
    ASSERT_EQ(cli({"export", id, "--db", db(), "--out", out.string()}).exitCode, 0);
    const fs::path jsonFile = out / ("run-" + id + ".json");
    const fs::path epochsFile = out / ("run-" + id + "-epochs.csv");
    const std::string exportedEpochs = slurp(epochsFile);
    {
        std::ofstream(jsonFile) << "my edited copy\n";
    }

    const CommandResult again = cli({"export", id, "--db", db(), "--out", out.string()});
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_NE(again.err.find(jsonFile.string() + " already exists; pass --force to replace it"), std::string::npos)
        << again.err;
    EXPECT_EQ(slurp(jsonFile), "my edited copy\n");
    const CommandResult forced = cli({"export", id, "--db", db(), "--out", out.string(), "--force"});
    ASSERT_EQ(forced.exitCode, 0) << forced.err;
    EXPECT_NO_THROW(json::parse(slurp(jsonFile)));
    EXPECT_EQ(slurp(epochsFile), exportedEpochs);

    // A symlink at the destination pointing at a file that is not ours.
    const fs::path victim = m_dir / "victim.txt";
    {
        std::ofstream(victim) << "precious\n";
    }
    const fs::path trap = m_dir / "trap";
    fs::create_directories(trap);
    fs::create_symlink(victim, trap / ("run-" + id + ".json"));
    EXPECT_EQ(cli({"export", id, "--db", db(), "--out", trap.string()}).exitCode, 2);
    EXPECT_FALSE(fs::exists(trap / ("run-" + id + "-epochs.csv"))) << "a refusal writes nothing";
    ASSERT_EQ(cli({"export", id, "--db", db(), "--out", trap.string(), "--force"}).exitCode, 0);
    EXPECT_EQ(slurp(victim), "precious\n");
    EXPECT_FALSE(fs::is_symlink(trap / ("run-" + id + ".json")));
    EXPECT_NO_THROW(json::parse(slurp(trap / ("run-" + id + ".json"))));

    // The network exports likewise.
    const fs::path model = m_dir / "model.pt";
    {
        std::ofstream(model) << "not yours to overwrite\n";
    }
    const CommandResult script = cli({"export", id, "--db", db(), "--torchscript", model.string()});
    EXPECT_EQ(script.exitCode, 2) << script.err;
    EXPECT_EQ(slurp(model), "not yours to overwrite\n");
    ASSERT_EQ(cli({"export", id, "--db", db(), "--torchscript", model.string(), "--force"}).exitCode, 0);
    EXPECT_GT(fs::file_size(model), 1000u);
    // No temporary file is left behind by any of it.
    for (const fs::path& folder : {out, trap, m_dir})
        for (const auto& entry : fs::directory_iterator(folder))
            EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

// `list` on another application's SQLite file once migrated it into a run database.
TEST_F(CliTest, ListAndRunRefuseAnotherApplicationsDatabaseAndLeaveItUnchanged)
{
    const std::string foreign = (m_dir / "photos.sqlite").string();
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase("QSQLITE", "foreign");
        sql.setDatabaseName(QString::fromStdString(foreign));
        ASSERT_TRUE(sql.open());
        QSqlQuery query(sql);
        ASSERT_TRUE(query.exec("CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT)"));
        ASSERT_TRUE(query.exec("INSERT INTO albums (title) VALUES ('holidays')"));
    }
    QSqlDatabase::removeDatabase("foreign");
    const std::string before = slurp(foreign);
    const CommandResult list = cli({"list", "--db", foreign});
    EXPECT_EQ(list.exitCode, 4);
    EXPECT_NE(list.err.find("is not a PruneScope database (it holds the tables albums)"), std::string::npos)
        << list.err;
    auto args = tinyRun(1);
    args[2] = foreign;
    const CommandResult run = cli(args);
    EXPECT_EQ(run.exitCode, 4) << run.err;
    EXPECT_EQ(slurp(foreign), before);
    EXPECT_FALSE(fs::exists(foreign + "-wal"));
}

// Bytes that are not UTF-8 in a name or path once failed deep in the JSON library (exit 1).
TEST_F(CliTest, ArgumentsThatAreNotUtf8AreAUsageErrorBeforeAnythingIsStored)
{
    auto args = tinyRun(1);
    args.insert(args.end(), {"--name", "caf\xe9 latin-1"});
    const CommandResult result = cli(args);
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("is not valid UTF-8"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("caf\\xe9"), std::string::npos) << "shown escaped: " << result.err;
    EXPECT_FALSE(fs::exists(db()));
}

// A database in a folder the user cannot write to once said "damaged file?".
TEST_F(CliTest, ADatabaseInAReadOnlyFolderSaysSoAndCanStillBeListed)
{
    if (::geteuid() == 0)
        GTEST_SKIP() << "root writes into read-only folders";
    const CommandResult run = cli(tinyRun(1));
    ASSERT_EQ(run.exitCode, 0) << run.err;
    fs::permissions(m_dir, fs::perms::owner_write, fs::perm_options::remove);
    const CommandResult again = cli(tinyRun(1));
    const CommandResult list = cli({"list", "--db", db()});
    fs::permissions(m_dir, fs::perms::owner_write, fs::perm_options::add);
    EXPECT_EQ(again.exitCode, 4);
    EXPECT_NE(again.err.find("is not writable"), std::string::npos) << again.err;
    EXPECT_EQ(again.err.find("damaged"), std::string::npos) << again.err;
    EXPECT_EQ(list.exitCode, 0) << list.err;
}

TEST_F(CliTest, TheSameConfigAndSeedPrintTheSameNumbersTwice)
{
    auto args = tinyRun();
    args.push_back("--no-cache");
    const CommandResult first = cli(args);
    const CommandResult second = cli(args);
    ASSERT_EQ(first.exitCode, 0) << first.err;
    ASSERT_EQ(second.exitCode, 0) << second.err;
    // Everything but "run N finished in T" and the latency lines: wall-clock measurements of this
    // CPU, which no seed makes repeat.
    auto numbers = [](const std::string& out) {
        std::istringstream lines(out.substr(out.find('\n') + 1));
        std::string line, kept;
        while (std::getline(lines, line)) {
            if (line.find("latency") == std::string::npos)
                kept += line + "\n";
        }
        return kept;
    };
    EXPECT_EQ(numbers(first.out), numbers(second.out));
    EXPECT_NE(first.out.find("final"), std::string::npos);
}

TEST_F(CliTest, OutputThatCannotBeWrittenIsAFailureNotASuccess)
{
    const fs::path err = m_dir / "full-stderr.txt";
    const std::string command = quote(PRUNESCOPE_CLI_PATH) + " methods >/dev/full 2>" + quote(err.string());
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_NE(slurp(err).find("could not write the output"), std::string::npos) << slurp(err);
    // The same command to a writable place succeeds.
    EXPECT_EQ(cli({"methods"}).exitCode, 0);
}

TEST_F(CliTest, BadInputExitsWithUsageErrorsThatNameTheProblem)
{
    auto args = tinyRun();
    args.insert(args.end(), {"--sparsity", "1.5"});
    CommandResult result = cli(args);
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("sparsity"), std::string::npos) << result.err;

    result = cli({"run", "--db", db(), "--model", "alexnet"});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("unknown model 'alexnet'"), std::string::npos) << result.err;

    std::ofstream(m_dir / "broken.json") << "{\"model\": \"lenet5\",";
    result = cli({"run", "--db", db(), "--config", (m_dir / "broken.json").string()});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("broken.json"), std::string::npos) << result.err;

    // A text parameter that reads as a number stays text: FBS evaluated at one density only.
    result = cli({"run", "--model", "lenet5", "--method", "fbs", "--param", "eval_densities=0.5", "--print-config"});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("\"eval_densities\": \"0.5\""), std::string::npos) << result.out;

    result = cli({"run", "--frobnicate"});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("--frobnicate"), std::string::npos);

    std::ofstream(m_dir / "not-a-db.sqlite") << "these are my notes, not a database\n";
    result = cli({"list", "--db", (m_dir / "not-a-db.sqlite").string()});
    EXPECT_EQ(result.exitCode, 4);
    EXPECT_NE(result.err.find("not-a-db.sqlite"), std::string::npos) << result.err;
    EXPECT_EQ(slurp(m_dir / "not-a-db.sqlite"), "these are my notes, not a database\n");
}

TEST_F(CliTest, DataThatIsNotIdxIsRefusedBeforeARunIsStored)
{
    std::ofstream(m_dir / "data" / "t10k-labels-idx1-ubyte.gz", std::ios::trunc) << "garbage";
    const CommandResult result = cli(tinyRun());
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("t10k-labels-idx1-ubyte.gz: not an IDX file"), std::string::npos) << result.err;
    EXPECT_TRUE(RunStore(QString::fromStdString(db())).listRuns().empty());
}

TEST_F(CliTest, DamagedDataFailsTheRunAndStoresTheReason)
{
    // A sound header over a payload cut short: only loading the data finds it (the check before
    // a run reads the image headers and the labels, not the images).
    std::ofstream(m_dir / "data" / "t10k-images-idx3-ubyte.gz", std::ios::trunc | std::ios::binary)
        << std::string("\0\0\x08\x03\0\0\0\xc8\0\0\0\x1c\0\0\0\x1c", 16) << "short";
    const CommandResult result = cli(tinyRun());
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("t10k-images-idx3-ubyte.gz"), std::string::npos) << result.err;
    RunStore store(QString::fromStdString(db()));
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, RunStatus::Failed);
    EXPECT_NE(runs[0].errorMessage.find("t10k-images"), std::string::npos);
}

TEST_F(CliTest, SigintCancelsAndStoresACancelledRun)
{
    std::string seen;
    const pid_t pid = startRunAndWaitFor(tinyRun(500), "dense epoch 1:", seen);
    ASSERT_NE(seen.find("dense epoch 1:"), std::string::npos) << seen;
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    close(m_pipeToClose);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    RunStore store(QString::fromStdString(db()));
    ASSERT_EQ(store.listRuns().size(), 1u);
    EXPECT_EQ(store.listRuns()[0].status, RunStatus::Cancelled);
}

// A TorchScript model whose forward loops for ever in training mode once made Ctrl+C and SIGTERM
// useless: the run never reached its next batch to see the cancel. Now a SIGTERM ends the process
// kTermGraceSeconds later and a second Ctrl+C at once, each storing the run as cancelled. The
// watchdog SIGKILLs the CLI and fails the test if it does not end.
class StuckModelCliTest : public CliTest {
protected:
    void SetUp() override
    {
        CliTest::SetUp();
        for (const char* candidate : {"/usr/bin/python3", "python3"}) {
            if (std::system((std::string(candidate) + " -c 'import torch' >/dev/null 2>&1").c_str()) == 0) {
                m_python = candidate;
                break;
            }
        }
        if (m_python.empty())
            GTEST_SKIP() << "python3-torch is not installed";
        std::ofstream(m_dir / "make.py") << R"(import sys, torch
class Stuck(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(784, 10)
    def forward(self, x):
        spins = 0
        while self.training:
            spins += 1
        return self.fc(torch.flatten(x, 1))
torch.jit.script(Stuck()).save(sys.argv[1])
)";
        const std::string command
            = m_python + " " + quote((m_dir / "make.py").string()) + " " + quote((m_dir / "stuck.pt").string());
        ASSERT_EQ(std::system(command.c_str()), 0);
    }

    std::vector<std::string> stuckRun() const
    {
        std::vector<std::string> args = tinyRun(1);
        const auto model = std::find(args.begin(), args.end(), "lenet300100");
        *model = (m_dir / "stuck.pt").string();
        return args;
    }

    // Waits for the CLI, SIGKILLing it (and failing) if it has not ended within `seconds`.
    int waitWithWatchdog(pid_t pid, int seconds)
    {
        std::atomic<bool> ended{false};
        std::mutex mutex;
        std::condition_variable wake;
        std::thread watchdog([&] {
            std::unique_lock lock(mutex);
            if (!wake.wait_for(lock, std::chrono::seconds(seconds), [&] { return ended.load(); }))
                kill(pid, SIGKILL);
        });
        int status = 0;
        waitpid(pid, &status, 0);
        {
            std::lock_guard lock(mutex);
            ended = true;
        }
        wake.notify_all();
        watchdog.join();
        close(m_pipeToClose);
        EXPECT_TRUE(WIFEXITED(status)) << "the CLI did not end by itself: the watchdog killed it";
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    void expectStoredAsCancelled(const std::string& because)
    {
        RunStore store(QString::fromStdString(db()));
        const auto runs = store.listRuns();
        ASSERT_EQ(runs.size(), 1u);
        EXPECT_EQ(runs[0].status, RunStatus::Cancelled);
        EXPECT_NE(runs[0].errorMessage.find(because), std::string::npos) << runs[0].errorMessage;
        EXPECT_EQ(store.integrityCheck(), "ok");
    }

    std::string m_python;
};

TEST_F(StuckModelCliTest, SigtermEndsARunStuckInItsModelAfterTheGracePeriod)
{
    std::string seen;
    const pid_t pid = startRunAndWaitFor(stuckRun(), "→ " + db(), seen);
    ASSERT_NE(seen.find("→ " + db()), std::string::npos) << seen;
    kill(pid, SIGTERM);
    EXPECT_EQ(waitWithWatchdog(pid, 60), 3);
    expectStoredAsCancelled("did not stop within 3 s of SIGTERM");
}

TEST_F(StuckModelCliTest, ASecondCtrlCEndsARunStuckInItsModelAtOnce)
{
    std::string seen;
    const pid_t pid = startRunAndWaitFor(stuckRun(), "→ " + db(), seen);
    ASSERT_NE(seen.find("→ " + db()), std::string::npos) << seen;
    kill(pid, SIGINT);
    // The CLI's own answer to the first Ctrl+C is the synchronisation: then the second one.
    char buffer[256];
    ssize_t n = 0;
    while (seen.find("Ctrl+C again") == std::string::npos && (n = read(m_pipeToClose, buffer, sizeof buffer)) > 0)
        seen.append(buffer, size_t(n));
    ASSERT_NE(seen.find("Ctrl+C again to stop at once"), std::string::npos) << seen;
    kill(pid, SIGINT);
    EXPECT_EQ(waitWithWatchdog(pid, 60), 3);
    expectStoredAsCancelled("Ctrl+C pressed twice");
}

TEST_F(CliTest, ARunKilledDuringTrainingIsListedAsInterruptedAndTheDatabaseIsIntact)
{
    std::string seen;
    const pid_t pid = startRunAndWaitFor(tinyRun(500), "dense epoch 2:", seen);
    ASSERT_NE(seen.find("dense epoch 2:"), std::string::npos) << seen;
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(m_pipeToClose);
    ASSERT_TRUE(WIFSIGNALED(status));

    const CommandResult list = cli({"list", "--db", db()});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find("interrupted"), std::string::npos) << list.out;
    RunStore store(QString::fromStdString(db()));
    EXPECT_EQ(store.integrityCheck(), "ok");
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, RunStatus::Interrupted);
    EXPECT_GE(store.epochs(runs[0].id).size(), 2u);  // what was recorded before the kill is kept
}

TEST_F(CliTest, ASweepStoresEveryPointAndPrintsMeanAndSpreadPerMethodAndCompression)
{
    std::vector<std::string> args = tinyRun(1);
    args[0] = "sweep";
    // tinyRun sets --sparsity, which a sweep replaces by its list: drop it.
    args.erase(args.end() - 2, args.end());
    args.insert(args.end(),
                {"--methods", "random,global_magnitude", "--compressions", "2,4", "--seeds", "1,2", "--name", "tiny"});
    const CommandResult sweep = cli(args);
    ASSERT_EQ(sweep.exitCode, 0) << sweep.err;
    EXPECT_NE(sweep.err.find("8 runs"), std::string::npos) << sweep.err;
    // One row per method and compression, each over both seeds.
    for (const std::string row : {"random", "global_magnitude"}) {
        for (const std::string target : {"50.0 %", "75.0 %"}) {
            const std::string line = [&] {
                std::istringstream lines(sweep.out);
                std::string l;
                while (std::getline(lines, l))
                    if (l.rfind(row + " ", 0) == 0 && l.find(target) != std::string::npos)
                        return l;
                return std::string();
            }();
            EXPECT_FALSE(line.empty()) << row << " " << target << "\n" << sweep.out;
            EXPECT_NE(line.find(" ± "), std::string::npos) << line;
        }
    }
    RunStore store(QString::fromStdString(db()));
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 8u);
    for (const auto& run : runs) {
        EXPECT_EQ(run.status, RunStatus::Finished);
        EXPECT_GT(run.sweepId, 0);
    }
    const CommandResult shown = cli({"sweep", "--db", db(), "--show", std::to_string(runs[0].sweepId)});
    ASSERT_EQ(shown.exitCode, 0) << shown.err;
    EXPECT_EQ(shown.out, sweep.out.substr(sweep.out.find('\n') + 1));

    const CommandResult bad = cli({"sweep", "--db", db(), "--methods", "nm_sparsity", "--sparsities", "0.5"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("sparsity"), std::string::npos) << bad.err;
}

TEST_F(CliTest, ALotteryTicketRunShowsOneRowPerRoundWithItsControl)
{
    std::vector<std::string> args = tinyRun(1);
    args.erase(args.end() - 2, args.end());  // no --sparsity: the lottery ticket has rounds and rates
    args.insert(args.end(), {"--method", "lottery_ticket", "--param", "rounds=2", "--param", "rate=0.5"});
    const CommandResult run = cli(args);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const CommandResult show = cli({"show", "1", "--db", db()});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    EXPECT_NE(show.out.find("CONTROL (RANDOM RE-INIT)"), std::string::npos) << show.out;
    // Step 0 is the dense network; rounds 1 and 2 leave about half, then a quarter, of the hidden weights.
    std::istringstream lines(show.out.substr(show.out.find("CONTROL (RANDOM RE-INIT)")));
    std::string header, dense, first, second;
    std::getline(lines, header);
    std::getline(lines, dense);
    std::getline(lines, first);
    std::getline(lines, second);
    EXPECT_EQ(dense.rfind("0 ", 0), 0u) << dense;
    EXPECT_EQ(first.rfind("1 ", 0), 0u) << first;
    EXPECT_EQ(second.rfind("2 ", 0), 0u) << second;
    EXPECT_EQ(std::count(second.begin(), second.end(), '%'), 3) << second;  // left, accuracy, control

    // The same figures in the JSON a script reads.
    const CommandResult shown = cli({"show", "1", "--db", db(), "--json"});
    ASSERT_EQ(shown.exitCode, 0) << shown.err;
    const auto steps = nlohmann::json::parse(shown.out).at("pruning_steps");
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_GT(steps[2].at("metrics").at("test_accuracy").get<double>(), 0.0);
    EXPECT_TRUE(steps[2].at("metrics").contains("control_test_accuracy")) << steps[2].dump();
}

TEST_F(CliTest, ADuringTrainingRunExportsItsOwnCurvesAsEpochColumns)
{
    std::vector<std::string> args = tinyRun(1);
    args.insert(args.end(), {"--method", "rigl", "--param", "update_interval=2"});
    const CommandResult run = cli(args);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const CommandResult csv = cli({"export", "1", "--db", db(), "--format", "csv-epochs"});
    ASSERT_EQ(csv.exitCode, 0) << csv.err;
    std::istringstream lines(csv.out);
    std::string header, line;
    std::getline(lines, header);
    EXPECT_EQ(header,
              "phase,epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_accuracy,"
              "connections_moved");
    int sparseRows = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("sparse,", 0) == 0) {
            ++sparseRows;
            EXPECT_NE(line.back(), ',') << "a sparse epoch has its curve value: " << line;
        } else {
            EXPECT_EQ(line.back(), ',') << "other phases leave the column empty: " << line;
        }
    }
    EXPECT_EQ(sparseRows, 1);
}

TEST_F(CliTest, MethodsListsTheRegistryWithTaxonomyTags)
{
    const CommandResult result = cli({"methods", "--json"});
    ASSERT_EQ(result.exitCode, 0);
    const json methods = json::parse(result.out);
    std::vector<std::string> ids;
    for (const auto& m : methods) {
        ids.push_back(m.at("id"));
        EXPECT_FALSE(m.at("speedup").get<std::string>().empty());
        EXPECT_FALSE(m.at("when").get<std::string>().empty());
    }
    // Every registered method, in catalogue order.
    std::vector<std::string> registered;
    for (const auto& method : methodCatalogue())
        registered.push_back(method.id);
    EXPECT_EQ(ids, registered);
    EXPECT_GE(ids.size(), 24u);
}

TEST_F(CliTest, PresetsAreListedUnderTheStudyPlansWeeks)
{
    const CommandResult result = cli({"presets"});
    ASSERT_EQ(result.exitCode, 0);
    // Each of the fourteen sessions has a heading with its date and topic, followed by its presets.
    size_t position = 0;
    for (const StudyWeek& week : studyPlan()) {
        const std::string heading = "Week " + std::to_string(week.number) + " · " + week.date + " · " + week.topic;
        const size_t at = result.out.find(heading, position);
        ASSERT_NE(at, std::string::npos) << heading;
        position = at + heading.size();
        for (const ExperimentPreset* preset : presetsOfWeek(week.number))
            EXPECT_NE(result.out.find("  " + preset->id, position), std::string::npos) << preset->id;
    }
    EXPECT_NE(result.out.find("week02-structured-l1-filters"), std::string::npos);
    // A paper's preset: its data, the paper's figures and the laptop budget beside the paper's recipe.
    const size_t li = result.out.find("week02-paper-li-vgg16-cifar10");
    ASSERT_NE(li, std::string::npos);
    const std::string card = result.out.substr(li, result.out.find("\n  week", li + 1) - li);
    EXPECT_NE(card.find("data: cifar10 in "), std::string::npos) << card;
    EXPECT_NE(card.find("paper: Li, Kadav"), std::string::npos) << card;
    EXPECT_NE(card.find("93.25 % → 93.40 %"), std::string::npos) << card;
    EXPECT_NE(card.find("Laptop budget: 30 dense epochs, 10 fine-tuning epochs; the paper: "), std::string::npos)
        << card;
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);  // Qt SQL loads its driver through the application
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

TEST_F(CliTest, AStructuredRunPrintsItsSpeedupsAndExportsItsThinNetworkForPyTorch)
{
    std::vector<std::string> args = {"run",
                                     "--db",
                                     db(),
                                     "--data",
                                     (m_dir / "data").string(),
                                     "--model",
                                     "lenet5caffe",
                                     "--method",
                                     "l1_filter",
                                     "--param",
                                     "channel_ratio=0.5",
                                     "--epochs",
                                     "1",
                                     "--finetune-epochs",
                                     "1",
                                     "--batch-size",
                                     "50",
                                     "--threads",
                                     "2",
                                     "--latency-repeats",
                                     "3",
                                     "--cache-dir",
                                     (m_dir / "cache").string()};
    const CommandResult run = cli(args);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.out.find("channels removed for real"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("latency, batch 64"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("measured speedup"), std::string::npos) << run.out;

    const CommandResult show = cli({"show", "1", "--db", db()});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    EXPECT_NE(show.out.find("25/50"), std::string::npos) << show.out;  // conv2's kept channels

    const std::string script = (m_dir / "thin.pt").string(), state = (m_dir / "thin-state.pt").string();
    const CommandResult exported = cli({"export", "1", "--db", db(), "--torchscript", script, "--state-dict", state});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    EXPECT_GT(fs::file_size(script), 10000u);
    EXPECT_GT(fs::file_size(state), 10000u);

    // Measured again (as on a quiet machine): the stored figures are replaced, with --keep they are not.
    const CommandResult timedKept = cli({"latency", "1", "--db", db(), "--repeats", "2", "--threads", "1", "--keep"});
    ASSERT_EQ(timedKept.exitCode, 0) << timedKept.err;
    EXPECT_NE(timedKept.out.find("l1_filter"), std::string::npos) << timedKept.out;
    auto storedRepeats = [&] {
        const json shown = json::parse(cli({"show", "1", "--db", db(), "--json"}).out);
        std::set<int> repeats;
        for (const auto& l : shown.at("summary").at("latency"))
            repeats.insert(l.at("repeats").get<int>());
        return repeats;
    };
    EXPECT_EQ(storedRepeats(), std::set<int>{3});
    const CommandResult timed = cli({"latency", "1", "--db", db(), "--repeats", "2", "--threads", "1"});
    ASSERT_EQ(timed.exitCode, 0) << timed.err;
    EXPECT_EQ(storedRepeats(), std::set<int>{2});
    EXPECT_EQ(cli({"latency", "9", "--db", db()}).exitCode, 4);
    EXPECT_EQ(cli({"latency", "1", "--db", db(), "--repeats", "0"}).exitCode, 2);

    // No such run: a clear "no run" (exit 4), nothing written; two kinds of export at once: usage.
    const CommandResult missing = cli({"export", "7", "--db", db(), "--torchscript", script});
    EXPECT_EQ(missing.exitCode, 4);
    const CommandResult both = cli({"export", "1", "--db", db(), "--torchscript", script, "--out", m_dir.string()});
    EXPECT_EQ(both.exitCode, 2);
}

// The loop a PyTorch user closes: a network exported for PyTorch comes back as a TorchScript model.
TEST_F(CliTest, ARunOnATorchScriptFileStoresItsAbsolutePathAndWorksLikeAZooRun)
{
    std::vector<std::string> base = {"--db",
                                     db(),
                                     "--data",
                                     (m_dir / "data").string(),
                                     "--epochs",
                                     "1",
                                     "--finetune-epochs",
                                     "1",
                                     "--batch-size",
                                     "50",
                                     "--threads",
                                     "2",
                                     "--latency-repeats",
                                     "2",
                                     "--cache-dir",
                                     (m_dir / "cache").string()};
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "run");
        args.insert(args.end(), base.begin(), base.end());
        return cli(args);
    };
    ASSERT_EQ(run({"--model", "lenet5", "--sparsity", "0.5"}).exitCode, 0);
    const fs::path script = m_dir / "my lenet.pt";
    ASSERT_EQ(cli({"export", "1", "--db", db(), "--torchscript", script.string()}).exitCode, 0);

    // A relative path is stored absolute.
    const std::string relative = fs::relative(script, fs::current_path()).string();
    const CommandResult scripted = run({"--model", relative, "--sparsity", "0.5", "--json"});
    ASSERT_EQ(scripted.exitCode, 0) << scripted.err;
    EXPECT_NE(scripted.err.find("TorchScript file " + script.string() + " (fingerprint"), std::string::npos)
        << scripted.err;
    const json result = json::parse(scripted.out);
    const std::string runId = std::to_string(result.at("run_id").get<int64_t>());
    EXPECT_GT(result.at("summary").at("sparsity").get<double>(), 0.4);
    const json shown = json::parse(cli({"show", runId, "--db", db(), "--json"}).out);
    EXPECT_EQ(shown.at("config").at("model"), script.string());
    EXPECT_EQ(shown.at("config").at("name"), "my lenet.pt · global_magnitude");
    const CommandResult list = cli({"list", "--db", db()});
    EXPECT_NE(list.out.find("my lenet.pt"), std::string::npos) << list.out;

    // Its stored network times, exports and reads back like any other.
    const CommandResult timed = cli({"latency", runId, "--db", db(), "--repeats", "2", "--threads", "1", "--keep"});
    ASSERT_EQ(timed.exitCode, 0) << timed.err;
    const std::string again = (m_dir / "again.pt").string();
    ASSERT_EQ(cli({"export", runId, "--db", db(), "--torchscript", again}).exitCode, 0);
    EXPECT_GT(fs::file_size(again), 10000u);

    // Bad files and structured methods: usage errors that name the file or the rule.
    std::ofstream(m_dir / "garbage.pt") << "not TorchScript";
    CommandResult bad = run({"--model", (m_dir / "garbage.pt").string()});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find((m_dir / "garbage.pt").string()), std::string::npos) << bad.err;
    bad = run({"--model", (m_dir / "missing.pt").string()});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("does not exist"), std::string::npos) << bad.err;
    bad = run({"--model", script.string(), "--method", "l1_filter"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("structured methods need a zoo model"), std::string::npos) << bad.err;
}

TEST_F(CliTest, DeleteMovesRunsToTheTrashRestoreBringsThemBackAndEmptyingEndsThem)
{
    int64_t first = 0, second = 0;
    {
        RunStore store(QString::fromStdString(db()));
        first = store.beginRun(defaultExperiment(), "test");
        store.finishRun(first, RunSummary{});
        second = store.beginRun(defaultExperiment(), "test");
        store.endRun(second, RunStatus::Failed, "bad");
    }
    auto listedIds = [&] {
        const CommandResult list = cli({"list", "--db", db(), "--json"});
        EXPECT_EQ(list.exitCode, 0) << list.err;
        std::vector<int64_t> ids;
        for (const auto& run : json::parse(list.out))
            ids.push_back(run["id"].get<int64_t>());
        return ids;
    };
    CommandResult result = cli({"delete", std::to_string(first), "--db", db()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("moved to the trash"), std::string::npos) << result.out;
    EXPECT_EQ(listedIds(), std::vector<int64_t>{second});
    result = cli({"trash", "--db", db()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("\n" + std::to_string(first) + " "), std::string::npos) << result.out;

    result = cli({"restore", std::to_string(first), "--db", db()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(listedIds(), (std::vector<int64_t>{second, first}));
    EXPECT_NE(cli({"trash", "--db", db()}).out.find("the trash is empty"), std::string::npos);

    ASSERT_EQ(cli({"delete", std::to_string(first), std::to_string(second), "--db", db()}).exitCode, 0);
    result = cli({"trash", "--empty", "--db", db()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("2 runs deleted for good"), std::string::npos) << result.out;
    EXPECT_TRUE(listedIds().empty());
    result = cli({"restore", std::to_string(first), "--db", db()});
    EXPECT_EQ(result.exitCode, 4);
    EXPECT_NE(result.err.find("not in the trash"), std::string::npos) << result.err;
    EXPECT_EQ(cli({"delete", "999", "--db", db()}).exitCode, 4);
    EXPECT_EQ(cli({"delete", "--db", db()}).exitCode, 2);
}

// Sets an environment variable for the commands a test starts, and restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const std::string& value) : m_name(name)
    {
        if (const char* old = std::getenv(name))
            m_old = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnvironment()
    {
        if (m_old)
            ::setenv(m_name, m_old->c_str(), 1);
        else
            ::unsetenv(m_name);
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

TEST_F(CliTest, DatasetsListsTheKnownKindsWhereEachIsLookedForAndWhatWasFound)
{
    const ScopedEnvironment data("XDG_DATA_HOME", (m_dir / "xdg").string());
    const fs::path root = m_dir / "xdg" / "PruneScope" / "datasets";
    testsupport::writeSyntheticCifar10((root / "cifar10").string(), 50, 20);
    fs::create_directories(root / "cifar100");
    std::ofstream(root / "cifar100" / "test.bin") << "not CIFAR";

    CommandResult result = cli({"datasets"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("cifar10  CIFAR-10 (Krizhevsky, 2009)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("looked for in " + (root / "cifar10").string()), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("installed: 3×32×32, 10 classes; 50 training and 20 test images"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("get it with: prunescope-cli download cifar100"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("get it with: prunescope-cli download kmnist"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("image-folder"), std::string::npos) << result.out;

    result = cli({"datasets", "--json"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const json list = json::parse(result.out);
    std::map<std::string, json> byId;
    for (const auto& entry : list)
        byId[entry["id"]] = entry;
    EXPECT_TRUE(byId.at("cifar10")["installed"].get<bool>());
    EXPECT_EQ(byId.at("cifar10")["found"]["train_images"], 50);
    EXPECT_EQ(byId.at("cifar10")["found"]["channels"], 3);
    EXPECT_FALSE(byId.at("cifar100")["installed"].get<bool>());
    EXPECT_NE(byId.at("cifar100")["problem"].get<std::string>().find("train.bin: missing"), std::string::npos)
        << byId.at("cifar100");
    EXPECT_EQ(byId.at("mnist")["download"], "prunescope-cli download mnist");
    EXPECT_EQ(byId.count("idx"), 1u);
}

TEST_F(CliTest, DatasetOptionsChooseTheFormatFolderLabelsAndAugmentation)
{
    const ScopedEnvironment data("XDG_DATA_HOME", (m_dir / "xdg").string());
    const fs::path cifar = m_dir / "cifar100";
    testsupport::writeSyntheticCifar100(cifar.string(), 40, 20);
    auto printConfig = [&](std::vector<std::string> options) {
        options.insert(options.begin(), "run");
        options.push_back("--print-config");
        const CommandResult result = cli(options);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return result.exitCode == 0 ? json::parse(result.out) : json();
    };
    json config = printConfig({"--dataset", "cifar100", "--data", cifar.string(), "--cifar-labels", "coarse"});
    EXPECT_EQ(config["dataset"]["name"], "cifar100");
    EXPECT_EQ(config["dataset"]["directory"], cifar.string());
    EXPECT_EQ(config["dataset"]["cifar_labels"], "coarse");
    EXPECT_EQ(config["dense_training"]["augment"], true);  // on by default for CIFAR
    EXPECT_EQ(config["fine_tuning"]["augment"], true);
    config = printConfig({"--dataset", "cifar100", "--data", cifar.string(), "--no-augment"});
    EXPECT_EQ(config["dense_training"]["augment"], false);
    EXPECT_EQ(config["dataset"]["cifar_labels"], "fine");

    // A known dataset without --data is looked for in the user's data folder; MNIST does not augment.
    testsupport::writeSyntheticIdxDataset((m_dir / "xdg" / "PruneScope" / "datasets" / "mnist").string(), 60, 20);
    config = printConfig({"--dataset", "mnist"});
    EXPECT_EQ(config["dataset"]["directory"], (m_dir / "xdg" / "PruneScope" / "datasets" / "mnist").string());
    EXPECT_EQ(config["dense_training"]["augment"], false);
    config = printConfig({"--dataset", "mnist", "--augment"});
    EXPECT_EQ(config["dense_training"]["augment"], true);

    testsupport::writeSyntheticImageFolder((m_dir / "folder").string(), {.classes = 2, .testPerClass = 0});
    config = printConfig({"--dataset", "image-folder", "--data", (m_dir / "folder").string(), "--resize", "12",
                          "--test-fraction", "0.3", "--unreadable-images", "skip"});
    EXPECT_EQ(config["dataset"]["resize"], 12);
    EXPECT_EQ(config["dataset"]["test_fraction"], 0.3);
    EXPECT_EQ(config["dataset"]["unreadable_images"], "skip");
    EXPECT_EQ(config["dense_training"]["augment"], true);
}

TEST_F(CliTest, BadDatasetChoicesAndBadDataAreRefusedBeforeARunIsStored)
{
    const ScopedEnvironment data("XDG_DATA_HOME", (m_dir / "xdg").string());
    auto refused = [&](const std::vector<std::string>& options, const std::string& needle) {
        std::vector<std::string> args = {"run", "--db", db()};
        args.insert(args.end(), options.begin(), options.end());
        const CommandResult result = cli(args);
        EXPECT_EQ(result.exitCode, 2) << result.out;
        EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
    };
    refused({"--dataset", "imagenet"}, "unknown dataset 'imagenet'");
    refused({"--dataset", "image-folder"}, "--dataset image-folder needs --data PATH");
    refused({"--dataset", "cifar10"}, (m_dir / "xdg" / "PruneScope" / "datasets" / "cifar10").string());
    refused({"--dataset", "cifar100", "--cifar-labels", "medium"}, "expected fine or coarse");
    refused({"--augment", "--no-augment"}, "not both");

    const fs::path cifar = m_dir / "cifar10";
    testsupport::writeSyntheticCifar10(cifar.string(), 50, 20);
    fs::resize_file(cifar / "data_batch_3.bin", 3073 * 10 - 7);
    refused({"--dataset", "cifar10", "--data", cifar.string()}, "data_batch_3.bin: 30723 bytes is not a whole number");

    fs::create_directories(m_dir / "empty" / "cats");
    refused({"--dataset", "image-folder", "--data", (m_dir / "empty").string()},
            "cats: the class folder holds no images");
    refused({"--dataset", "image-folder", "--data", (m_dir / "empty").string(), "--test-fraction", "1.5"},
            "dataset.test_fraction");
    EXPECT_TRUE(RunStore(QString::fromStdString(db())).listRuns().empty());
}
