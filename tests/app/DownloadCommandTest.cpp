// `prunescope-cli download` end to end: the real binary against a local HTTP server (--from), with
// the data folder listed before and after every failure.
#include "LocalHttpServer.h"
#include "core/DatasetCatalogue.h"
#include "download/DatasetDownload.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace prunescope;
using namespace prunescope::testsupport;
namespace fs = std::filesystem;

namespace {

std::set<std::string> listing(const fs::path& root)
{
    std::set<std::string> paths;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        paths.insert(fs::relative(entry.path(), root).string());
    return paths;
}

struct Outcome {
    int exitCode = -1;
    std::string out;
    std::string err;
};

class DownloadCommandTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("prunescope-cli-download-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_datasets() / "mnist");
        std::ofstream(m_datasets() / "mnist" / "train-images-idx3-ubyte.gz") << "kept";
        m_before = listing(m_datasets());
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path m_datasets() const { return m_dir / "datasets"; }

    // Starts the CLI with stdout and stderr on pipes; `until` (if given) reads stderr until that
    // text appears, before returning the process id.
    pid_t start(const std::vector<std::string>& args, const std::string& until = {})
    {
        int outPipe[2], errPipe[2];
        EXPECT_EQ(pipe(outPipe), 0);
        EXPECT_EQ(pipe(errPipe), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);
        posix_spawn_file_actions_addclose(&actions, outPipe[0]);
        posix_spawn_file_actions_addclose(&actions, errPipe[0]);
        std::vector<std::string> argv = {PRUNESCOPE_CLI_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> cargv;
        for (auto& a : argv)
            cargv.push_back(a.data());
        cargv.push_back(nullptr);
        pid_t pid = 0;
        EXPECT_EQ(posix_spawn(&pid, PRUNESCOPE_CLI_PATH, &actions, nullptr, cargv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
        close(outPipe[1]);
        close(errPipe[1]);
        m_out = outPipe[0];
        m_err = errPipe[0];
        char buffer[1024];
        ssize_t n;
        // The child's own output is the synchronisation.
        while (!until.empty() && m_seen.find(until) == std::string::npos
               && (n = read(m_err, buffer, sizeof buffer)) > 0)
            m_seen.append(buffer, size_t(n));
        return pid;
    }

    Outcome finish(pid_t pid)
    {
        Outcome outcome;
        outcome.err = m_seen;
        char buffer[4096];
        ssize_t n;
        while ((n = read(m_err, buffer, sizeof buffer)) > 0)
            outcome.err.append(buffer, size_t(n));
        while ((n = read(m_out, buffer, sizeof buffer)) > 0)
            outcome.out.append(buffer, size_t(n));
        close(m_out);
        close(m_err);
        int status = 0;
        waitpid(pid, &status, 0);
        outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        m_seen.clear();
        return outcome;
    }

    Outcome cli(const std::vector<std::string>& args) { return finish(start(args)); }

    fs::path m_dir;
    std::set<std::string> m_before;
    int m_out = -1, m_err = -1;
    std::string m_seen;
};

TEST_F(DownloadCommandTest, UnknownDatasetIsAUsageErrorListingTheKnownOnes)
{
    const Outcome outcome = cli({"download", "imagenet"});
    EXPECT_EQ(outcome.exitCode, 2);
    EXPECT_NE(outcome.err.find("cannot download 'imagenet'"), std::string::npos) << outcome.err;
    EXPECT_NE(outcome.err.find("cifar10, cifar100"), std::string::npos) << outcome.err;
    EXPECT_EQ(cli({"download"}).exitCode, 2);
}

TEST_F(DownloadCommandTest, AFileThatIsNotThePublishedOneIsRefusedAfterItsProgressWasShown)
{
    // The server holds a CIFAR-10 archive, but not the official one: its MD5 differs.
    LocalHttpServer server;
    const std::string archive = makeTarGz(
        {{"cifar-10-batches-bin/", "", ""}, {"cifar-10-batches-bin/test_batch.bin", cifarRecords(4, 1, 1), ""}});
    server.serve("/mirror/cifar-10-binary.tar.gz", archive);

    const Outcome outcome = cli(
        {"download", "cifar10", "--to", (m_datasets() / "cifar10").string(), "--from", server.baseUrl() + "/mirror"});

    EXPECT_EQ(outcome.exitCode, 1);
    EXPECT_NE(outcome.err.find("cifar-10-binary.tar.gz  100 %"), std::string::npos) << outcome.err;
    EXPECT_NE(outcome.err.find("checksum mismatch for cifar-10-binary.tar.gz: expected MD5 "
                               + findKnownDataset("cifar10")->downloads[0].md5 + ", found " + md5Hex(archive)),
              std::string::npos)
        << outcome.err;
    EXPECT_EQ(listing(m_datasets()), m_before);
}

TEST_F(DownloadCommandTest, AServerErrorIsReportedWithItsStatus)
{
    LocalHttpServer server;  // serves nothing: every file is a 404
    const Outcome outcome
        = cli({"download", "kmnist", "--to", (m_datasets() / "kmnist").string(), "--from", server.baseUrl()});
    EXPECT_EQ(outcome.exitCode, 1);
    EXPECT_NE(outcome.err.find("the server answered HTTP 404"), std::string::npos) << outcome.err;
    EXPECT_EQ(listing(m_datasets()), m_before);
}

TEST_F(DownloadCommandTest, ANonEmptyFolderIsNeverOverwritten)
{
    LocalHttpServer server;
    const Outcome outcome
        = cli({"download", "mnist", "--to", (m_datasets() / "mnist").string(), "--from", server.baseUrl()});
    EXPECT_EQ(outcome.exitCode, 1);
    EXPECT_NE(outcome.err.find((m_datasets() / "mnist").string() + " already exists and is not empty"),
              std::string::npos)
        << outcome.err;
    EXPECT_EQ(server.getRequests(), 0);
    EXPECT_EQ(listing(m_datasets()), m_before);
}

TEST_F(DownloadCommandTest, CtrlCStopsTheTransferAndInstallsNothing)
{
    LocalHttpServer server;
    // The first file stalls after 300 000 of its 400 000 bytes (the others are tiny): the progress
    // line reaches 74 % of the whole and the server then holds the connection open.
    const auto& files = findKnownDataset("fashion-mnist")->downloads;
    server.stallAfter("/m/" + downloadFileName(files[0].url), std::string(400000, 'x'), 300000);
    for (size_t i = 1; i < files.size(); ++i)
        server.serve("/m/" + downloadFileName(files[i].url), std::string(10, 'y'));

    const pid_t pid = start({"download", "fashion-mnist", "--to", (m_datasets() / "fashion-mnist").string(), "--from",
                             server.baseUrl() + "/m"},
                            " 74 %");
    ASSERT_NE(m_seen.find(" 74 %"), std::string::npos) << m_seen;
    kill(pid, SIGINT);
    const Outcome outcome = finish(pid);

    EXPECT_EQ(outcome.exitCode, 3);
    EXPECT_NE(outcome.err.find("download cancelled: nothing was installed"), std::string::npos) << outcome.err;
    EXPECT_EQ(listing(m_datasets()), m_before);
}

}  // namespace
