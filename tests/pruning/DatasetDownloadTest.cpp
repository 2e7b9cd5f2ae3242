// installDataset against a real HTTP server on 127.0.0.1: what a success installs, and that every
// failure (checksum, cancel, HTTP error, refused connection, unsafe archive) leaves the data
// folder exactly as it was.
#include "LocalHttpServer.h"
#include "SyntheticIdx.h"
#include "core/DatasetCatalogue.h"
#include "data/Dataset.h"
#include "download/DatasetDownload.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <unistd.h>

using namespace prunescope;
using namespace prunescope::testsupport;
namespace fs = std::filesystem;

namespace {

// Every path under `root` (hidden ones too), relative, with each file's size.
std::set<std::string> listing(const fs::path& root)
{
    std::set<std::string> paths;
    if (!fs::exists(root))
        return paths;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const std::string relative = fs::relative(entry.path(), root).string();
        paths.insert(entry.is_regular_file() ? relative + " " + std::to_string(entry.file_size()) : relative + "/");
    }
    return paths;
}

// The catalogue's entry with the test's own checksums: same ids and file names as the real one.
KnownDataset withChecksums(const std::string& id, const std::vector<std::string>& md5s)
{
    KnownDataset dataset = *findKnownDataset(id);
    for (size_t i = 0; i < md5s.size(); ++i)
        dataset.downloads[i].md5 = md5s[i];
    return dataset;
}

class DatasetDownloadTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_root = fs::temp_directory_path()
            / ("prunescope-download-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_root);
        // The user's data folder already holds another dataset: it must stay as it is.
        fs::create_directories(m_datasets() / "mnist");
        std::ofstream(m_datasets() / "mnist" / "train-images-idx3-ubyte.gz") << "kept";
        m_before = listing(m_datasets());
    }
    void TearDown() override { fs::remove_all(m_root); }

    fs::path m_datasets() const { return m_root / "datasets"; }

    // A CIFAR-10 binary archive as the official one is laid out (with its top-level folder).
    std::string cifarArchive() const
    {
        std::vector<ArchiveEntry> entries{{"cifar-10-batches-bin/", "", ""}};
        for (int i = 1; i <= 5; ++i)
            entries.push_back(
                {"cifar-10-batches-bin/data_batch_" + std::to_string(i) + ".bin", cifarRecords(3, 1, i), ""});
        entries.push_back({"cifar-10-batches-bin/test_batch.bin", cifarRecords(2, 1, 9), ""});
        entries.push_back({"cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n", ""});
        return makeTarGz(entries);
    }

    // Serves the four IDX files of a small synthetic dataset under /idx/; their MD5 sums.
    std::vector<std::string> serveIdx(LocalHttpServer& server) const
    {
        const fs::path source = m_root / "idx-source";
        writeSyntheticIdxDataset(source.string(), 60, 20);
        std::vector<std::string> md5s;
        for (const auto& file : findKnownDataset("fashion-mnist")->downloads) {
            const std::string bytes = readFileBytes((source / downloadFileName(file.url)).string());
            md5s.push_back(md5Hex(bytes));
            server.serve("/idx/" + downloadFileName(file.url), bytes);
        }
        return md5s;
    }

    // Installs, expecting a DownloadError, and returns its message.
    std::string failure(const KnownDataset& dataset, const fs::path& target, const DownloadOptions& options)
    {
        try {
            installDataset(dataset, target.string(), options);
        } catch (const DownloadError& e) {
            return e.what();
        }
        ADD_FAILURE() << "installDataset did not fail";
        return {};
    }

    fs::path m_root;
    std::set<std::string> m_before;
};

TEST_F(DatasetDownloadTest, MirrorReplacesEverythingBeforeTheFileName)
{
    const DownloadFile file{"https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "x", true};
    EXPECT_EQ(downloadUrl(file, ""), file.url);
    EXPECT_EQ(downloadUrl(file, "http://127.0.0.1:8/m/"), "http://127.0.0.1:8/m/cifar-10-binary.tar.gz");
    EXPECT_EQ(downloadUrl(file, "file:///srv/data"), "file:///srv/data/cifar-10-binary.tar.gz");
}

TEST_F(DatasetDownloadTest, InstallsCifarArchiveWithoutItsTopLevelFolder)
{
    LocalHttpServer server;
    const std::string archive = cifarArchive();
    server.serve("/cifar/cifar-10-binary.tar.gz", archive);
    std::vector<DownloadProgress> seen;
    DownloadOptions options;
    options.mirror = server.baseUrl() + "/cifar";
    options.onProgress = [&](const DownloadProgress& p) { seen.push_back(p); };

    installDataset(withChecksums("cifar10", {md5Hex(archive)}), (m_datasets() / "cifar10").string(), options);

    std::set<std::string> expected = m_before;
    expected.insert("cifar10/");
    for (int i = 1; i <= 5; ++i)
        expected.insert("cifar10/data_batch_" + std::to_string(i) + ".bin " + std::to_string(3 * 3073));
    expected.insert("cifar10/test_batch.bin " + std::to_string(2 * 3073));
    expected.insert("cifar10/batches.meta.txt 20");
    EXPECT_EQ(listing(m_datasets()), expected);  // nothing else: no temporary folder left
    EXPECT_EQ(readFileBytes((m_datasets() / "cifar10" / "data_batch_3.bin").string()), cifarRecords(3, 1, 3));

    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front().currentFile, "cifar-10-binary.tar.gz");
    EXPECT_EQ(seen.front().bytesTotal, int64_t(archive.size()));  // known before the first byte
    bool complete = false;
    for (const auto& p : seen)
        complete = complete || (p.bytesDone == int64_t(archive.size()) && p.fraction() == 1.0);
    EXPECT_TRUE(complete);
    EXPECT_TRUE(seen.back().unpacking);
}

TEST_F(DatasetDownloadTest, InstalledIdxFilesAreReadByInspectDataset)
{
    LocalHttpServer server;
    const auto md5s = serveIdx(server);
    DownloadOptions options;
    options.mirror = server.baseUrl() + "/idx/";
    int64_t lastDone = 0, total = 0;
    options.onProgress = [&](const DownloadProgress& p) {
        EXPECT_GE(p.bytesDone, lastDone);  // over all four files, never backwards
        lastDone = p.bytesDone;
        total = p.bytesTotal;
        EXPECT_EQ(p.fileCount, 4);
    };
    const fs::path target = m_datasets() / "fashion-mnist";

    installDataset(withChecksums("fashion-mnist", md5s), target.string(), options);

    EXPECT_EQ(lastDone, total);
    DatasetConfig config;
    config.name = "fashion-mnist";
    config.directory = target.string();
    const DatasetSummary summary = inspectDataset(config);
    EXPECT_EQ(summary.shape, (DataShape{1, 28, 28, 10}));
    EXPECT_EQ(summary.trainImages, 60);
    EXPECT_EQ(summary.testImages, 20);
    EXPECT_EQ(listing(m_datasets()).size(), m_before.size() + 5);  // the folder and its four files
}

TEST_F(DatasetDownloadTest, ChecksumMismatchNamesTheFileAndBothSumsAndInstallsNothing)
{
    LocalHttpServer server;
    auto md5s = serveIdx(server);
    const std::string found = md5s[3];
    md5s[3] = "0123456789abcdef0123456789abcdef";  // the last file: three were already fetched
    DownloadOptions options;
    options.mirror = server.baseUrl() + "/idx";

    const std::string message = failure(withChecksums("fashion-mnist", md5s), m_datasets() / "fashion-mnist", options);

    EXPECT_NE(message.find("checksum mismatch for t10k-labels-idx1-ubyte.gz"), std::string::npos) << message;
    EXPECT_NE(message.find("expected MD5 0123456789abcdef0123456789abcdef"), std::string::npos) << message;
    EXPECT_NE(message.find("found " + found), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was installed"), std::string::npos) << message;
    EXPECT_EQ(server.getRequests(), 4);
    EXPECT_EQ(listing(m_datasets()), m_before);
}

TEST_F(DatasetDownloadTest, CancelStopsATransferTheServerHoldsOpen)
{
    LocalHttpServer server;
    const std::string archive = cifarArchive();
    // The server sends the first 4 KiB and then nothing, until the client goes away.
    server.stallAfter("/cifar/cifar-10-binary.tar.gz", archive, 4096);
    std::atomic<bool> cancel{false};
    DownloadOptions options;
    options.mirror = server.baseUrl() + "/cifar";
    options.cancel = &cancel;
    options.onProgress = [&](const DownloadProgress& p) {
        if (p.bytesDone > 0)
            cancel = true;  // as the window's Cancel button does, once bytes have come in
    };
    const auto start = std::chrono::steady_clock::now();

    EXPECT_THROW(
        installDataset(withChecksums("cifar10", {md5Hex(archive)}), (m_datasets() / "cifar10").string(), options),
        DownloadCancelled);

    // Without the cancel, curl would wait a minute for the stalled server (its low-speed limit).
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_EQ(listing(m_datasets()), m_before);
    // The connection was closed: the server saw its client go.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server.stalledClientLeft() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    EXPECT_TRUE(server.stalledClientLeft());
}

TEST_F(DatasetDownloadTest, ServerErrorsNameTheStatusAndInstallNothing)
{
    for (const int status : {404, 500}) {
        LocalHttpServer server;
        auto md5s = serveIdx(server);
        server.fail("/idx/t10k-images-idx3-ubyte.gz", status);
        DownloadOptions options;
        options.mirror = server.baseUrl() + "/idx";

        const std::string message
            = failure(withChecksums("fashion-mnist", md5s), m_datasets() / "fashion-mnist", options);

        EXPECT_NE(message.find("t10k-images-idx3-ubyte.gz"), std::string::npos) << message;
        EXPECT_NE(message.find("HTTP " + std::to_string(status)), std::string::npos) << message;
        EXPECT_EQ(listing(m_datasets()), m_before) << status;
    }
}

TEST_F(DatasetDownloadTest, UnreachableServerSaysSoAndRemovesTheFoldersItCreated)
{
    // A port nothing listens on: the server closes at the end of the block.
    std::string mirror;
    {
        LocalHttpServer closed;
        mirror = closed.baseUrl();
    }
    const fs::path target = m_datasets() / "new" / "deeper" / "cifar10";
    DownloadOptions options;
    options.mirror = mirror;

    const std::string message = failure(*findKnownDataset("cifar10"), target, options);

    EXPECT_NE(message.find("download of cifar-10-binary.tar.gz failed"), std::string::npos) << message;
    EXPECT_EQ(listing(m_datasets()), m_before);  // "new/deeper" was created for the download, and removed
}

TEST_F(DatasetDownloadTest, RefusesATargetThatIsNotEmptyBeforeFetchingAnything)
{
    LocalHttpServer server;
    DownloadOptions options;
    options.mirror = server.baseUrl();

    const std::string message = failure(*findKnownDataset("mnist"), m_datasets() / "mnist", options);

    EXPECT_NE(message.find((m_datasets() / "mnist").string() + " already exists and is not empty"), std::string::npos)
        << message;
    EXPECT_EQ(server.getRequests(), 0);
    EXPECT_EQ(listing(m_datasets()), m_before);
}

TEST_F(DatasetDownloadTest, RefusesArchivesWithLinksOrPathsLeavingTheFolder)
{
    const std::vector<std::pair<std::vector<ArchiveEntry>, std::string>> unsafe{
        {{{"top/", "", ""}, {"top/../../escaped.bin", "x", ""}}, "leaving its folder"},
        {{{"top/", "", ""}, {"top/data_batch_1.bin", "", "/etc/passwd"}}, "holds a link"},
        {{{"/tmp/absolute.bin", "x", ""}}, "absolute path"},
    };
    for (const auto& [entries, problem] : unsafe) {
        LocalHttpServer server;
        const std::string archive = makeTarGz(entries);
        server.serve("/cifar-10-binary.tar.gz", archive);
        DownloadOptions options;
        options.mirror = server.baseUrl();

        const std::string message
            = failure(withChecksums("cifar10", {md5Hex(archive)}), m_datasets() / "cifar10", options);

        EXPECT_NE(message.find(problem), std::string::npos) << message;
        EXPECT_EQ(listing(m_datasets()), m_before) << problem;
        EXPECT_FALSE(fs::exists(m_root / "escaped.bin"));
    }
}

}  // namespace
