// The CIFAR binary readers and image folders: what they load (shape, classes, pixels, per-channel
// statistics), the cache of decoded folders, every bad-data case's message, and augmentation.

#include "SyntheticImages.h"
#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "data/ImageFolder.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace prunescope;
using namespace prunescope::testsupport;
namespace fs = std::filesystem;

namespace {

class DatasetFormatsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("prunescope-formats-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string path(const std::string& name) const { return (m_dir / name).string(); }
    std::string cache() const { return path("cache"); }

    DatasetConfig config(const std::string& name, const std::string& directory) const
    {
        DatasetConfig c;
        c.name = name;
        c.directory = directory;
        c.validationFraction = 0.2;
        return c;
    }

    // `call` throws a DataError whose message holds every needle.
    template <typename Call>
    void expectDataError(Call call, const std::vector<std::string>& needles)
    {
        try {
            call();
            ADD_FAILURE() << "expected a DataError containing " << needles.front();
        } catch (const DataError& e) {
            for (const auto& needle : needles)
                EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what() << "\nlacks: " << needle;
        }
    }

    void overwrite(const std::string& file, std::streamoff offset, const std::vector<uint8_t>& bytes)
    {
        std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
        out.seekp(offset);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    }

    fs::path m_dir;
};

std::vector<uint8_t> fileBytes(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::string& file, const std::vector<uint8_t>& bytes)
{
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void putBigEndian(std::vector<uint8_t>& bytes, size_t at, uint32_t value, int width)
{
    for (int i = 0; i < width; ++i)
        bytes[at + size_t(i)] = uint8_t(value >> (8 * (width - 1 - i)));
}

// A small PNG whose header (IHDR, with its CRC made right again) claims width × height pixels.
void writePngClaiming(const std::string& file, uint32_t width, uint32_t height)
{
    writePng(file, syntheticImage(0, 1, 4, 4, 1));
    std::vector<uint8_t> bytes = fileBytes(file);
    putBigEndian(bytes, 16, width, 4);
    putBigEndian(bytes, 20, height, 4);
    putBigEndian(bytes, 29, uint32_t(crc32(0, &bytes[12], 17)), 4);  // over "IHDR" and its 13 bytes
    writeBytes(file, bytes);
}

// A small JPEG whose frame header (SOF0) claims width × height pixels.
void writeJpegClaiming(const std::string& file, uint16_t width, uint16_t height)
{
    writeJpeg(file, syntheticImage(0, 1, 8, 8, 1));
    std::vector<uint8_t> bytes = fileBytes(file);
    for (size_t at = 2; at + 9 < bytes.size(); ++at) {
        if (bytes[at] == 0xFF && bytes[at + 1] == 0xC0) {  // FF C0, length, precision, height, width
            putBigEndian(bytes, at + 5, height, 2);
            putBigEndian(bytes, at + 7, width, 2);
            writeBytes(file, bytes);
            return;
        }
    }
    FAIL() << "no SOF0 marker in " << file;
}

torch::Tensor planes(const PlaneImage& image)
{
    return torch::tensor(image.pixels, torch::kUInt8).reshape({image.channels, image.height, image.width});
}

// The mean and std of each channel of uint8 [N, C, H, W] computed the plain way.
void expectStatisticsOf(const PixelStatistics& statistics, const torch::Tensor& images)
{
    const torch::Tensor values = images.to(torch::kFloat64).div(255.0).transpose(0, 1).reshape({images.size(1), -1});
    ASSERT_EQ(statistics.mean.size(), size_t(images.size(1)));
    for (int64_t c = 0; c < images.size(1); ++c) {
        EXPECT_NEAR(statistics.mean[size_t(c)], values[c].mean().item<double>(), 1e-12);
        EXPECT_NEAR(statistics.std[size_t(c)], values[c].std(/*unbiased=*/false).item<double>(), 1e-9);
    }
}

TEST_F(DatasetFormatsTest, Cifar10LoadsShapeClassesPixelsAndPerChannelStatistics)
{
    writeSyntheticCifar10(path("cifar10"), 50, 20);
    DatasetConfig c = config("cifar10", path("cifar10"));
    const DatasetSummary summary = inspectDataset(c);
    EXPECT_EQ(summary.shape, (DataShape{3, 32, 32, 10}));
    EXPECT_EQ(summary.trainImages, 50);
    EXPECT_EQ(summary.testImages, 20);

    const DataSplits splits = loadDataSplits(c, 3);
    EXPECT_EQ(splits.shape, (DataShape{3, 32, 32, 10}));
    EXPECT_EQ(splits.train.size(), 40);
    EXPECT_EQ(splits.validation.size(), 10);
    EXPECT_EQ(splits.test.size(), 20);
    EXPECT_EQ(splits.test.images.scalar_type(), torch::kUInt8);
    for (int64_t i : {0, 7, 19}) {
        EXPECT_TRUE(torch::equal(splits.test.images[i], planes(syntheticImage(int(i % 10), 3, 32, 32, 2000003 + i))));
        EXPECT_EQ(splits.test.labels[i].item<int64_t>(), i % 10);
    }
    expectStatisticsOf(splits.train.statistics, torch::cat({splits.train.images, splits.validation.images}));
    EXPECT_NE(splits.train.statistics.mean[0], splits.train.statistics.mean[1]);  // per channel, not one figure
    // A normalised batch of the training split has mean 0 and std 1 in every channel.
    const torch::Tensor all
        = splits.train.normalise(torch::cat({splits.train.images, splits.validation.images})).to(torch::kFloat64);
    for (int64_t ch = 0; ch < 3; ++ch) {
        EXPECT_NEAR(all.select(1, ch).mean().item<double>(), 0.0, 1e-5);
        EXPECT_NEAR(all.select(1, ch).std(false).item<double>(), 1.0, 1e-4);
    }

    c.trainLimit = 12;  // reads the first 12 records, across the batch files
    EXPECT_EQ(loadDataSplits(c, 3).train.size() + loadDataSplits(c, 3).validation.size(), 12);
    // The folder the official archive unpacks into is found inside the given one.
    fs::rename(path("cifar10"), path("cifar-10-batches-bin"));
    fs::create_directories(path("parent"));
    fs::rename(path("cifar-10-batches-bin"), path("parent/cifar-10-batches-bin"));
    EXPECT_EQ(inspectDataset(config("cifar10", path("parent"))).trainImages, 50);
}

TEST_F(DatasetFormatsTest, Cifar100LearnsFineLabelsByDefaultAndCoarseOnRequest)
{
    writeSyntheticCifar100(path("cifar100"), 230, 120);
    DatasetConfig c = config("cifar100", path("cifar100"));
    c.validationFraction = 0;
    const DataSplits fine = loadDataSplits(c, 1);
    EXPECT_EQ(fine.shape, (DataShape{3, 32, 32, 100}));
    EXPECT_EQ(fine.test.labels[57].item<int64_t>(), 57);
    EXPECT_EQ(fine.test.labels[117].item<int64_t>(), 17);
    c.cifarLabels = CifarLabels::Coarse;
    EXPECT_EQ(inspectDataset(c).shape, (DataShape{3, 32, 32, 20}));
    const DataSplits coarse = loadDataSplits(c, 1);
    EXPECT_EQ(coarse.shape.classes, 20);
    EXPECT_EQ(coarse.test.labels[57].item<int64_t>(), 11);
    EXPECT_TRUE(torch::equal(coarse.test.images, fine.test.images));
    EXPECT_NE(coarse.fingerprint, fine.fingerprint);  // the labels are part of what a run saw
}

TEST_F(DatasetFormatsTest, BadCifarFilesGiveErrorsNamingTheFileAndTheProblem)
{
    writeSyntheticCifar10(path("c10"), 50, 20);
    const DatasetConfig c10 = config("cifar10", path("c10"));
    // A truncated batch: the record size no longer divides the file.
    fs::resize_file(path("c10/test_batch.bin"), 20 * 3073 - 100);
    for (auto call :
         {std::function<void()>([&] { loadDataSplits(c10, 1); }), std::function<void()>([&] { inspectDataset(c10); })})
        expectDataError(call, {"test_batch.bin", "not a whole number of 3073-byte CIFAR-10 records", "truncated"});
    // A label outside the classes.
    writeSyntheticCifar10(path("c10"), 50, 20);
    overwrite(path("c10/data_batch_2.bin"), 3 * 3073, {10});
    expectDataError([&] { loadDataSplits(c10, 1); }, {"data_batch_2.bin", "record 3 has label 10", "0..9"});
    // A missing batch.
    fs::remove(path("c10/data_batch_4.bin"));
    for (auto call :
         {std::function<void()>([&] { loadDataSplits(c10, 1); }), std::function<void()>([&] { inspectDataset(c10); })})
        expectDataError(call, {"data_batch_4.bin", "missing"});
    // CIFAR-10 records are one byte shorter than CIFAR-100's: a CIFAR-10 file named train.bin.
    fs::create_directories(path("c100"));
    writeSyntheticCifar100(path("c100"), 10, 10);
    fs::copy_file(path("c10/data_batch_1.bin"), path("c100/train.bin"), fs::copy_options::overwrite_existing);
    expectDataError([&] { inspectDataset(config("cifar100", path("c100"))); },
                    {"train.bin", "3074-byte CIFAR-100 records"});
    // A fine label of 100.
    writeSyntheticCifar100(path("c100"), 10, 10);
    overwrite(path("c100/test.bin"), 4 * 3074 + 1, {100});
    expectDataError([&] { loadDataSplits(config("cifar100", path("c100")), 1); },
                    {"test.bin", "record 4 has label 100", "100 classes"});
    fs::resize_file(path("c100/test.bin"), 0);
    expectDataError([&] { inspectDataset(config("cifar100", path("c100"))); }, {"test.bin", "empty"});
}

TEST_F(DatasetFormatsTest, AGreyPngFolderLoadsAndTheSecondLoadComesFromTheCache)
{
    writeSyntheticImageFolder(path("folder"), {.classes = 3, .trainPerClass = 10, .testPerClass = 4, .side = 16});
    const DatasetConfig c = config("image-folder", path("folder"));
    const DatasetSummary summary = inspectDataset(c);
    EXPECT_EQ(summary.shape, (DataShape{1, 16, 16, 3}));
    EXPECT_EQ(summary.classNames, (std::vector<std::string>{"class_0", "class_1", "class_2"}));
    EXPECT_TRUE(summary.splitFolders);
    EXPECT_EQ(summary.trainImages, 30);
    EXPECT_EQ(summary.testImages, 12);

    const ImageFolderLoad first = loadImageFolder(c, cache());
    EXPECT_FALSE(first.fromCache);
    ASSERT_FALSE(first.cacheFile.empty());
    EXPECT_TRUE(fs::exists(first.cacheFile));
    EXPECT_EQ(first.data.classes, 3);
    EXPECT_EQ(first.data.train.images.sizes(), (std::vector<int64_t>{30, 1, 16, 16}));
    EXPECT_EQ(first.data.test.images.sizes(), (std::vector<int64_t>{12, 1, 16, 16}));
    // test/class_1/0002.png is the 4 + 2nd test image.
    EXPECT_TRUE(torch::equal(first.data.test.images[6], planes(syntheticImage(1, 1, 16, 16, 2000003 + 2))));
    EXPECT_EQ(first.data.test.labels[6].item<int64_t>(), 1);

    const ImageFolderLoad second = loadImageFolder(c, cache());
    EXPECT_TRUE(second.fromCache);
    EXPECT_TRUE(torch::equal(second.data.train.images, first.data.train.images));
    EXPECT_TRUE(torch::equal(second.data.test.labels, first.data.test.labels));
    EXPECT_EQ(second.data.contentFingerprint, first.data.contentFingerprint);
    EXPECT_NE(second.report.find("read from the cache"), std::string::npos) << second.report;

    // A changed image is a new folder: decoded again, under a new key.
    writePng(path("folder/train/class_2/0003.png"), syntheticImage(0, 1, 16, 16, 99));
    const ImageFolderLoad changed = loadImageFolder(c, cache());
    EXPECT_FALSE(changed.fromCache);
    EXPECT_NE(changed.cacheFile, first.cacheFile);
    EXPECT_TRUE(torch::equal(changed.data.train.images[23], planes(syntheticImage(0, 1, 16, 16, 99))));
    EXPECT_NE(changed.data.contentFingerprint, first.data.contentFingerprint);
    // So is a different resize.
    DatasetConfig resized = c;
    resized.resize = 8;
    EXPECT_EQ(loadImageFolder(resized, cache()).data.train.images.sizes(), (std::vector<int64_t>{30, 1, 8, 8}));
}

TEST_F(DatasetFormatsTest, ADamagedCacheFileIsIgnoredAndRebuilt)
{
    writeSyntheticImageFolder(path("folder"), {.classes = 2, .trainPerClass = 6, .testPerClass = 2, .side = 12});
    const DatasetConfig c = config("image-folder", path("folder"));
    const ImageFolderLoad clean = loadImageFolder(c, cache());
    const auto size = fs::file_size(clean.cacheFile);
    // A flipped byte in the pixels: the checksum no longer matches.
    overwrite(clean.cacheFile, std::streamoff(size - 40), {0x5a, 0xa5});
    ImageFolderLoad again = loadImageFolder(c, cache());
    EXPECT_FALSE(again.fromCache);
    EXPECT_TRUE(torch::equal(again.data.train.images, clean.data.train.images));
    EXPECT_TRUE(loadImageFolder(c, cache()).fromCache);  // rebuilt
    // A truncated file, and a file that is not a cache at all.
    fs::resize_file(clean.cacheFile, size / 2);
    EXPECT_FALSE(loadImageFolder(c, cache()).fromCache);
    std::ofstream(clean.cacheFile, std::ios::trunc) << "not a cache";
    again = loadImageFolder(c, cache());
    EXPECT_FALSE(again.fromCache);
    EXPECT_TRUE(torch::equal(again.data.test.images, clean.data.test.images));
}

// Found by fuzz_image_file (issue 17): an 86-byte PNG claiming 51971 × 11010 pixels made the
// decoder allocate 1.7 GB before libpng found the data missing. A claimed size is checked against
// what the file can hold, and against a ceiling, before any pixel is allocated.
TEST_F(DatasetFormatsTest, AnImageWhoseHeaderClaimsMorePixelsThanPossibleIsRefusedBeforeItsPixelsAreAllocated)
{
    // More than any image-folder image may have (8192 × 8192): refused whatever the file.
    writePngClaiming(path("huge.png"), 51971, 11010);
    expectDataError([&] { decodeImageFile(path("huge.png")); }, {path("huge.png"), "51971×11010", "8192×8192"});
    writePngClaiming(path("huger.png"), 1000000, 1000000);
    expectDataError([&] { decodeImageFile(path("huger.png")); }, {path("huger.png"), "1000000×1000000"});
    writeJpegClaiming(path("huge.jpg"), 65500, 65500);
    expectDataError([&] { decodeImageFile(path("huge.jpg")); }, {path("huge.jpg"), "65500×65500", "8192×8192"});
    // Under the ceiling, but more than its few compressed bytes can expand to.
    writePngClaiming(path("small-file.png"), 4000, 4000);
    expectDataError([&] { decodeImageFile(path("small-file.png")); },
                    {path("small-file.png"), "4000×4000", "bytes can hold"});
    // A real image of that size decodes (the check is a bound, not a guess).
    writePng(path("large.png"), syntheticImage(1, 1, 1000, 1200, 3));
    const DecodedImage large = decodeImageFile(path("large.png"));
    EXPECT_EQ(large.height, 1000);
    EXPECT_EQ(large.width, 1200);
}

TEST_F(DatasetFormatsTest, JpegAndColourFoldersLoadAsThreeChannelsWithGreyImagesReplicated)
{
    writeSyntheticImageFolder(
        path("folder"),
        {.classes = 2, .trainPerClass = 5, .testPerClass = 2, .channels = 3, .side = 20, .type = ImageFileType::Jpeg});
    const PlaneImage grey = syntheticImage(1, 1, 20, 20, 5);
    writePng(path("folder/train/class_1/grey.png"), grey);
    const ImageFolderLoad load = loadImageFolder(config("image-folder", path("folder")), cache());
    EXPECT_EQ(load.data.train.images.sizes(), (std::vector<int64_t>{11, 3, 20, 20}));
    const torch::Tensor greyPlane = planes(grey)[0];
    // grey.png sorts after the five JPEGs of class_1: training row 5 + 5.
    for (int64_t c = 0; c < 3; ++c)
        EXPECT_TRUE(torch::equal(load.data.train.images[10][c], greyPlane));
    // JPEG is lossy: the decoded pixels are close to what was written.
    const torch::Tensor written = planes(syntheticImage(0, 3, 20, 20, 1000003 + 3)).to(torch::kFloat32);
    EXPECT_LT((load.data.train.images[3].to(torch::kFloat32) - written).abs().mean().item<double>(), 6.0);
}

TEST_F(DatasetFormatsTest, OneFolderIsSplitByASeededTestFractionPerClass)
{
    writeSyntheticImageFolder(path("folder"), {.classes = 3, .trainPerClass = 10, .testPerClass = 0, .side = 10});
    DatasetConfig c = config("image-folder", path("folder"));
    c.testFraction = 0.2;
    const DatasetSummary summary = inspectDataset(c);
    EXPECT_FALSE(summary.splitFolders);
    EXPECT_EQ(summary.trainImages, 24);
    EXPECT_EQ(summary.testImages, 6);
    const ImageFolderLoad a = loadImageFolder(c, cache());
    EXPECT_TRUE(torch::equal(a.data.test.labels.bincount(), torch::tensor({2, 2, 2}, torch::kInt64)));
    fs::remove_all(cache());
    const ImageFolderLoad b = loadImageFolder(c, cache());
    EXPECT_FALSE(b.fromCache);
    EXPECT_TRUE(torch::equal(a.data.test.images, b.data.test.images));  // the same split every time
    c.testFraction = 0.5;
    EXPECT_EQ(loadImageFolder(c, cache()).data.test.labels.size(0), 15);
}

TEST_F(DatasetFormatsTest, MixedSizesAreAnErrorNamingTwoFilesUnlessAResizeIsSet)
{
    writeSyntheticImageFolder(path("folder"), {.classes = 2, .trainPerClass = 3, .testPerClass = 1, .side = 16});
    writePng(path("folder/train/class_1/0001.png"), syntheticImage(1, 1, 18, 24, 1));
    DatasetConfig c = config("image-folder", path("folder"));
    expectDataError([&] { loadImageFolder(c, cache()); },
                    {"different sizes", "class_0/0000.png is 16×16", "class_1/0001.png is 24×18", "resize"});
    c.resize = 12;
    EXPECT_EQ(inspectDataset(c).shape, (DataShape{1, 12, 12, 2}));
    const ImageFolderLoad load = loadImageFolder(c, cache());
    EXPECT_EQ(load.data.train.images.sizes(), (std::vector<int64_t>{6, 1, 12, 12}));
}

TEST_F(DatasetFormatsTest, UnreadableFilesAreAnErrorOrSkippedAndCounted)
{
    writeSyntheticImageFolder(path("folder"), {.classes = 2, .trainPerClass = 4, .testPerClass = 2, .side = 8});
    std::ofstream(path("folder/train/class_0/notes.txt")) << "not an image";
    std::ofstream(path("folder/train/class_1/.DS_Store")) << "hidden files are not images anyone added";
    DatasetConfig c = config("image-folder", path("folder"));
    expectDataError([&] { loadImageFolder(c, cache()); }, {"class_0/notes.txt", "not a PNG or JPEG image", "skip"});
    c.unreadableImages = UnreadableImages::Skip;
    ImageFolderLoad load = loadImageFolder(c, cache());
    EXPECT_EQ(load.skippedFiles, 1);
    EXPECT_EQ(load.data.train.labels.size(0), 8);
    EXPECT_NE(load.report.find("1 unreadable files skipped"), std::string::npos) << load.report;
    EXPECT_EQ(loadImageFolder(c, cache()).skippedFiles, 1);  // the cache remembers the count

    // A PNG cut short, and a JPEG cut short.
    fs::remove(path("folder/train/class_0/notes.txt"));
    fs::resize_file(path("folder/test/class_1/0001.png"), 40);
    c.unreadableImages = UnreadableImages::Fail;
    expectDataError([&] { loadImageFolder(c, cache()); }, {"test/class_1/0001.png", "PNG"});
    writeSyntheticImageFolder(
        path("jpeg"),
        {.classes = 2, .trainPerClass = 2, .testPerClass = 1, .channels = 3, .side = 32, .type = ImageFileType::Jpeg});
    fs::resize_file(path("jpeg/train/class_1/0000.jpg"), fs::file_size(path("jpeg/train/class_1/0000.jpg")) / 2);
    expectDataError([&] { loadImageFolder(config("image-folder", path("jpeg")), cache()); },
                    {"train/class_1/0000.jpg", "JPEG"});
}

TEST_F(DatasetFormatsTest, FoldersWithoutImagesAreErrors)
{
    const DatasetConfig c = config("image-folder", path("folder"));
    expectDataError([&] { inspectDataset(c); }, {"is not a directory"});
    fs::create_directories(path("folder"));
    expectDataError([&] { loadImageFolder(c, cache()); }, {"no class sub-folders"});
    fs::create_directories(path("folder/cats"));
    expectDataError([&] { inspectDataset(c); }, {"cats", "holds no images"});
    std::ofstream(path("folder/cats/readme.txt")) << "no image here";
    DatasetConfig skipping = c;
    skipping.unreadableImages = UnreadableImages::Skip;
    expectDataError([&] { loadImageFolder(skipping, cache()); }, {"too few images"});
    fs::create_directories(path("folder/dogs"));
    for (int i = 0; i < 5; ++i)
        std::ofstream(path("folder/dogs/" + std::to_string(i) + ".txt")) << "no image here";
    expectDataError([&] { loadImageFolder(skipping, cache()); }, {"no readable images"});
}

TEST_F(DatasetFormatsTest, LoadDataSplitsReadsAnImageFolderThroughTheUsersCache)
{
    writeSyntheticImageFolder(path("folder"), {.classes = 4, .trainPerClass = 8, .testPerClass = 3, .side = 12});
    const char* previous = std::getenv("XDG_CACHE_HOME");
    const std::string saved = previous ? previous : "";
    ::setenv("XDG_CACHE_HOME", path("xdg").c_str(), 1);
    EXPECT_EQ(imageFolderCacheDirectory(), path("xdg") + "/PruneScope/image-folders");
    const DataSplits splits = loadDataSplits(config("image-folder", path("folder")), 5);
    const DataSplits again = loadDataSplits(config("image-folder", path("folder")), 5);
    if (previous)
        ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_CACHE_HOME");
    EXPECT_EQ(splits.shape, (DataShape{1, 12, 12, 4}));
    EXPECT_EQ(splits.train.size() + splits.validation.size(), 32);
    EXPECT_EQ(splits.fingerprint.rfind("image-folder-", 0), 0u) << splits.fingerprint;
    EXPECT_EQ(splits.fingerprint, again.fingerprint);
    EXPECT_NE(again.loadReport.find("read from the cache"), std::string::npos) << again.loadReport;
    EXPECT_EQ(std::distance(fs::directory_iterator(path("xdg/PruneScope/image-folders")), fs::directory_iterator{}), 1);
}

// out is in cropped from the image padded by 4 zeros at some (dy, dx), then mirrored or not.
bool isCropOf(const torch::Tensor& out, const torch::Tensor& in, bool mirrored)
{
    const torch::Tensor padded = torch::constant_pad_nd(in, {4, 4, 4, 4}, 0);
    const int64_t h = in.size(1), w = in.size(2);
    for (int64_t dy = 0; dy <= 8; ++dy)
        for (int64_t dx = 0; dx <= 8; ++dx) {
            const torch::Tensor crop = padded.narrow(1, dy, h).narrow(2, dx, w);
            if (torch::equal(out, mirrored ? crop.flip({2}) : crop))
                return true;
        }
    return false;
}

TEST_F(DatasetFormatsTest, AugmentationIsSeededCropsAndFlipsAndLeavesTheShuffleAlone)
{
    const torch::Tensor pixels
        = torch::randint(1, 256, {40, 3, 12, 12}, seededGenerator(1), torch::kInt64).to(torch::kUInt8);
    TensorDataset data{pixels, torch::arange(40), {{0.5, 0.5, 0.5}, {0.25, 0.25, 0.25}}};
    auto epoch = [&](uint64_t augmentSeed, bool augment) {
        BatchIterator batches(data, 16, /*shuffle=*/true, seededGenerator(9),
                              augment ? c10::optional<torch::Generator>(seededGenerator(augmentSeed)) : c10::nullopt);
        std::vector<torch::Tensor> images, labels;
        torch::Tensor x, y;
        while (batches.next(x, y)) {
            images.push_back(x);
            labels.push_back(y);
        }
        return std::pair{torch::cat(images), torch::cat(labels)};
    };
    const auto [plain, plainLabels] = epoch(0, false);
    const auto [a, aLabels] = epoch(5, true);
    const auto [b, bLabels] = epoch(5, true);
    const auto [c, cLabels] = epoch(6, true);
    EXPECT_TRUE(torch::equal(a, b));  // same seed, same batches
    EXPECT_FALSE(torch::equal(a, c));  // another seed, other crops
    EXPECT_FALSE(torch::equal(a, plain));
    EXPECT_TRUE(torch::equal(aLabels, plainLabels));  // the same order: augmentation has its own stream
    EXPECT_TRUE(torch::equal(cLabels, plainLabels));

    // Each augmented image is a crop of its zero-padded image, maybe mirrored; across 40 images
    // both flips and several shifts occur.
    torch::Generator generator = seededGenerator(3);
    const torch::Tensor augmented = augmentBatch(pixels, generator);
    int unchanged = 0, mirrored = 0, straight = 0;
    for (int64_t i = 0; i < 40; ++i) {
        const bool isStraight = isCropOf(augmented[i], pixels[i], false);
        const bool isMirrored = isCropOf(augmented[i], pixels[i], true);
        EXPECT_TRUE(isStraight || isMirrored) << "image " << i;
        straight += isStraight ? 1 : 0;
        mirrored += isMirrored ? 1 : 0;
        unchanged += torch::equal(augmented[i], pixels[i]) ? 1 : 0;
    }
    EXPECT_LT(unchanged, 5);  // 1 in 162 would be left as it was
    EXPECT_GT(straight, 10);
    EXPECT_GT(mirrored, 10);
}

}  // namespace
