#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "SyntheticIdx.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

using namespace prunescope;
namespace fs = std::filesystem;

namespace {

class IdxReaderTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("prunescope-idx-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string path(const std::string& name) const { return (m_dir / name).string(); }

    void writeRaw(const std::string& name, const std::vector<uint8_t>& bytes) const
    {
        std::ofstream out(path(name), std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    }

    void writeGzip(const std::string& name, const std::vector<uint8_t>& bytes) const
    {
        gzFile file = gzopen(path(name).c_str(), "wb6");
        ASSERT_NE(file, nullptr);
        ASSERT_EQ(gzwrite(file, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
        ASSERT_EQ(gzclose(file), Z_OK);
    }

    // Expects readIdxFile to throw a DataError whose message contains the file name and `needle`.
    void expectError(const std::string& name, int dims, const std::string& needle) const
    {
        try {
            readIdxFile(path(name), dims);
            FAIL() << "expected a DataError for " << name;
        } catch (const DataError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(name), std::string::npos) << message;
            EXPECT_NE(message.find(needle), std::string::npos) << message;
        }
    }

    fs::path m_dir;
};

}  // namespace

TEST_F(IdxReaderTest, RoundTripsCompressedAndPlainFiles)
{
    const IdxArray original{{3, 2, 4},
                            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 255}};
    for (const std::string name : {"a.gz", "a.idx"}) {
        writeIdxFile(path(name), original);
        const IdxArray read = readIdxFile(path(name), 3);
        EXPECT_EQ(read.dims, original.dims) << name;
        EXPECT_EQ(read.bytes, original.bytes) << name;
    }
    EXPECT_LT(fs::file_size(path("a.gz")) - 0, 100u);
}

TEST_F(IdxReaderTest, ReadsTheRealFashionMnistHeaderWhenInstalled)
{
    const std::string labels = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";
    if (!fs::exists(labels))
        GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    const IdxArray read = readIdxFile(labels, 1);
    ASSERT_EQ(read.dims, std::vector<int64_t>{10000});
    std::vector<int> counts(10, 0);
    for (uint8_t label : read.bytes)
        counts.at(label)++;
    for (int count : counts)
        EXPECT_EQ(count, 1000);  // Fashion-MNIST's test set is balanced
}

TEST_F(IdxReaderTest, RejectsAMissingFile)
{
    expectError("missing.gz", 1, "cannot open");
}

TEST_F(IdxReaderTest, RejectsAWrongMagicNumber)
{
    writeRaw("magic.idx", {1, 2, 8, 1, 0, 0, 0, 1, 7});
    expectError("magic.idx", 1, "not an IDX file");
}

TEST_F(IdxReaderTest, RejectsAnUnsupportedElementType)
{
    writeRaw("float.idx", {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
    expectError("float.idx", 1, "not supported");
}

TEST_F(IdxReaderTest, RejectsTheWrongNumberOfDimensions)
{
    writeIdxFile(path("labels.gz"), {{4}, {1, 2, 3, 4}});
    expectError("labels.gz", 3, "has 1 dimensions, expected 3");
}

TEST_F(IdxReaderTest, RejectsATruncatedFile)
{
    writeRaw("short.idx", {0, 0, 8, 1, 0, 0, 0, 10, 1, 2, 3});
    expectError("short.idx", 1, "declares 10 bytes of data but the file holds 3 (truncated download?)");
}

// A 20-byte file claiming 2 000 000 images of 28×28 once made the reader allocate 1.7 GB before
// it noticed; the claim is now refused against the file's size, before any allocation.
TEST_F(IdxReaderTest, RefusesAHeaderClaimingMoreThanThePlainFileHolds)
{
    writeRaw("claims.idx", {0, 0, 8, 3, 0, 0x1e, 0x84, 0x80, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3, 4});
    expectError("claims.idx", 3, "declares 1568000000 bytes of data but the file holds 4");
}

TEST_F(IdxReaderTest, RefusesAHeaderClaimingMoreThanAGzipFileCanHold)
{
    // A real gzip stream whose header claims 2 000 000 × 28 × 28 but that holds 16 bytes of
    // payload: no deflate stream of its size can expand to 1.5 GB.
    std::vector<uint8_t> lie = {0, 0, 8, 3, 0, 0x1e, 0x84, 0x80, 0, 0, 0, 28, 0, 0, 0, 28};
    lie.insert(lie.end(), 16, 7);
    writeGzip("lie.gz", lie);
    expectError("lie.gz", 3, "more than a");

    // A claim the file could hold (100 000 bytes) with a stream that ends early still says so.
    std::vector<uint8_t> shortStream = {0, 0, 8, 1, 0, 0x01, 0x86, 0xa0};
    for (int i = 0; i < 50000; ++i)
        shortStream.push_back(uint8_t((i * 7919 + i / 251) % 251));  // hardly compressible
    writeGzip("short.gz", shortStream);
    expectError("short.gz", 1, "ends early");
}

// A FIFO given as the images file once blocked the open for ever (Ctrl+C did not help). The
// watchdog ends the test process if the reader blocks again, so a regression fails, not hangs.
TEST_F(IdxReaderTest, RefusesAPipeInsteadOfBlockingOnIt)
{
    ASSERT_EQ(::mkfifo(path("images.fifo").c_str(), 0600), 0);
    ::alarm(20);
    expectError("images.fifo", 3, "is not a regular file");
    try {
        readIdxHeader(path("images.fifo"), 3);
        ADD_FAILURE() << "expected a DataError for the FIFO's header";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    }
    ::alarm(0);
    expectError("", 3, "not a regular file");  // the test's folder itself
}

TEST_F(IdxReaderTest, RejectsTrailingData)
{
    writeRaw("long.idx", {0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3});
    expectError("long.idx", 1, "declares 2 bytes of data but the file holds 3");
    // In a gzip file the size is only known once it is read to the end.
    writeGzip("long.gz", {0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3});
    expectError("long.gz", 1, "after the 2 bytes");
}

TEST_F(IdxReaderTest, RejectsACorruptGzipStream)
{
    IdxArray array{{1000}, std::vector<uint8_t>(1000)};
    for (size_t i = 0; i < array.bytes.size(); ++i)
        array.bytes[i] = uint8_t(i * 7 % 251);
    writeIdxFile(path("corrupt.gz"), array);
    std::fstream file(path("corrupt.gz"), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(40);
    const char garbage[16] = {'\x55', '\x13', '\x77', '\x01', '\x55', '\x13', '\x77', '\x01',
                              '\x55', '\x13', '\x77', '\x01', '\x55', '\x13', '\x77', '\x01'};
    file.write(garbage, sizeof garbage);
    file.close();
    EXPECT_THROW(readIdxFile(path("corrupt.gz"), 1), DataError);
}

TEST_F(IdxReaderTest, DatasetRejectsMismatchedImageAndLabelCounts)
{
    testsupport::writeSyntheticIdxDataset(m_dir.string(), 50, 20);
    writeIdxFile(path("train-labels-idx1-ubyte.gz"), {{49}, std::vector<uint8_t>(49, 1)});
    DatasetConfig config;
    config.directory = m_dir.string();
    try {
        loadDataSplits(config, 1);
        FAIL() << "expected a DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("has 49 labels but"), std::string::npos) << e.what();
    }
}

// EMNIST-style files: the class count is the largest label of either file plus one, also when
// a limit leaves that label out.
TEST_F(IdxReaderTest, TheClassesComeFromTheLargestLabelOfEitherFile)
{
    testsupport::writeSyntheticIdxDataset(m_dir.string(), 50, 20);
    std::vector<uint8_t> labels(20, 3);
    labels[17] = 25;
    writeIdxFile(path("t10k-labels-idx1-ubyte.gz"), {{20}, labels});
    DatasetConfig config;
    config.name = "idx";
    config.directory = m_dir.string();
    config.testLimit = 10;
    const DataSplits splits = loadDataSplits(config, 1);
    EXPECT_EQ(splits.shape, (DataShape{1, 28, 28, 26}));
    EXPECT_EQ(inspectDataset(config).shape, (DataShape{1, 28, 28, 26}));
    EXPECT_EQ(inspectDataset(config).trainImages, 50);
    EXPECT_EQ(inspectDataset(config).testImages, 20);
}

TEST_F(IdxReaderTest, DatasetNamesTheMissingFile)
{
    DatasetConfig config;
    config.directory = m_dir.string();
    try {
        loadDataSplits(config, 1);
        FAIL() << "expected a DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte"), std::string::npos) << e.what();
    }
}

// checkIdxDataset refuses a folder by its headers alone; `needle` is in the message.
TEST_F(IdxReaderTest, TheDatasetCheckReadsOnlyHeadersAndNamesWhatIsWrong)
{
    auto expectRefused = [&](const std::string& needle) {
        try {
            checkIdxDataset(m_dir.string());
            ADD_FAILURE() << "expected a DataError containing " << needle;
        } catch (const DataError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expectRefused("train-images-idx3-ubyte");  // an empty folder
    try {
        checkIdxDataset((m_dir / "absent").string());
        ADD_FAILURE() << "a missing folder passed";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("is not a directory"), std::string::npos) << e.what();
    }

    testsupport::writeSyntheticIdxDataset(m_dir.string(), 50, 20);
    EXPECT_NO_THROW(checkIdxDataset(m_dir.string()));
    EXPECT_EQ(readIdxHeader(path("train-images-idx3-ubyte.gz"), 3).dims, (std::vector<int64_t>{50, 28, 28}));

    // A payload cut short passes (only the header is read: loading finds it later) …
    std::vector<uint8_t> truncated = {0, 0, 0x08, 1, 0, 0, 0, 20, 1, 2, 3};
    fs::remove(path("t10k-labels-idx1-ubyte.gz"));
    writeRaw("t10k-labels-idx1-ubyte", truncated);
    EXPECT_NO_THROW(checkIdxDataset(m_dir.string()));
    // … a file that is not IDX, or counts that disagree, do not.
    writeRaw("t10k-labels-idx1-ubyte", {'g', 'a', 'r', 'b', 'a', 'g', 'e'});
    expectRefused("t10k-labels-idx1-ubyte: not an IDX file");
    writeIdxFile(path("t10k-labels-idx1-ubyte"), {{19}, std::vector<uint8_t>(19, 1)});
    expectRefused("has 19 labels but");
}

TEST_F(IdxReaderTest, SplitsAreNormalisedSeededAndLimited)
{
    testsupport::writeSyntheticIdxDataset(m_dir.string(), 200, 60);
    DatasetConfig config;
    config.directory = m_dir.string();
    config.validationFraction = 0.25;
    config.trainLimit = 160;
    config.testLimit = 50;
    const DataSplits a = loadDataSplits(config, 7);
    EXPECT_EQ(a.train.size(), 120);
    EXPECT_EQ(a.validation.size(), 40);
    EXPECT_EQ(a.test.size(), 50);
    EXPECT_EQ(a.train.images.scalar_type(), torch::kUInt8);  // pixels stay bytes until a batch is made
    const torch::Tensor all = a.train.normalise(torch::cat({a.train.images, a.validation.images}));
    EXPECT_NEAR(all.mean().item<double>(), 0.0, 1e-4);
    EXPECT_NEAR(all.std(/*unbiased=*/false).item<double>(), 1.0, 1e-3);

    const DataSplits again = loadDataSplits(config, 7);
    EXPECT_TRUE(torch::equal(a.validation.labels, again.validation.labels));
    EXPECT_EQ(a.fingerprint, again.fingerprint);
    const DataSplits otherSeed = loadDataSplits(config, 8);
    EXPECT_FALSE(torch::equal(a.validation.images, otherSeed.validation.images));
}

TEST_F(IdxReaderTest, BatchIteratorCoversEverySampleOnce)
{
    // Statistics that turn each pixel back into its value: mean 0, std 1/255.
    TensorDataset data{
        torch::arange(10, torch::kUInt8).reshape({10, 1, 1, 1}), torch::arange(10), {{0.0}, {1 / 255.0}}};
    BatchIterator batches(data, 4, /*shuffle=*/true, seededGenerator(3));
    EXPECT_EQ(batches.batchCount(), 3);
    torch::Tensor images, labels;
    std::vector<int64_t> seen;
    std::vector<int64_t> sizes;
    while (batches.next(images, labels)) {
        sizes.push_back(labels.size(0));
        for (int64_t i = 0; i < labels.size(0); ++i) {
            EXPECT_EQ(std::lround(images[i].item<float>()), labels[i].item<int64_t>());  // pairs stay together
            seen.push_back(labels[i].item<int64_t>());
        }
    }
    EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}
