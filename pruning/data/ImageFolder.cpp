#include "data/ImageFolder.h"

#include "data/IdxReader.h"

#include <ATen/Parallel.h>
#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <unistd.h>

namespace prunescope {
namespace {

namespace fs = std::filesystem;

// One image file of the listing, with what the cache key needs to notice a change.
struct ImageFile {
    std::string path;
    std::string relative;  // to the dataset folder: the key does not depend on where the folder is
    int64_t label = 0;
    uint64_t size = 0;
    int64_t modified = 0;  // nanoseconds since the file clock's epoch
};

struct FolderListing {
    std::vector<std::string> classNames;  // sorted; a class's label is its position
    std::vector<ImageFile> train, test;
    bool splitFolders = false;  // train/ and test/ sub-folders, else split by testFraction
};

bool isHidden(const fs::path& path)
{
    const std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

std::vector<std::string> sortedSubfolders(const fs::path& folder)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.is_directory() && !isHidden(entry.path()))
            names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

// The files of one class folder, sorted by name. Hidden files (".DS_Store", editors' backups)
// are not images anyone meant to add; every other file is treated as an image.
std::vector<ImageFile> classFiles(const fs::path& root, const fs::path& folder, int64_t label)
{
    std::vector<ImageFile> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (!entry.is_regular_file() || isHidden(entry.path()))
            continue;
        ImageFile file;
        file.path = entry.path().string();
        file.relative = entry.path().lexically_relative(root).string();
        file.label = label;
        file.size = entry.file_size();
        file.modified = int64_t(
            std::chrono::duration_cast<std::chrono::nanoseconds>(entry.last_write_time().time_since_epoch()).count());
        files.push_back(std::move(file));
    }
    std::sort(files.begin(), files.end(), [](const ImageFile& a, const ImageFile& b) { return a.path < b.path; });
    return files;
}

// splitmix64: a tiny generator whose sequence is the same on every platform and standard
// library (std::shuffle's is not), so a folder splits the same way everywhere.
uint64_t splitmix64(uint64_t& state)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

FolderListing listFolder(const DatasetConfig& config)
{
    const fs::path root(config.directory);
    std::error_code error;
    if (!fs::is_directory(root, error))
        throw DataError("'" + config.directory
                        + "' is not a directory (an image folder holds one sub-folder of images per class)");
    FolderListing listing;
    listing.splitFolders = fs::is_directory(root / "train", error) && fs::is_directory(root / "test", error);
    const fs::path classRoot = listing.splitFolders ? root / "train" : root;
    listing.classNames = sortedSubfolders(classRoot);
    if (listing.classNames.empty())
        throw DataError(classRoot.string()
                        + ": no class sub-folders (an image folder holds one sub-folder per class, e.g. cat/ and dog/, "
                          "either directly or under train/ and test/)");
    for (size_t label = 0; label < listing.classNames.size(); ++label) {
        const fs::path folder = classRoot / listing.classNames[label];
        std::vector<ImageFile> files = classFiles(root, folder, int64_t(label));
        if (files.empty())
            throw DataError(folder.string() + ": the class folder holds no images");
        if (listing.splitFolders) {
            listing.train.insert(listing.train.end(), files.begin(), files.end());
            continue;
        }
        // A fixed seed, not the run's: every run of any seed is tested on the same images.
        uint64_t state = 0x1a6ef01de4ull + label;
        for (size_t i = files.size(); i > 1; --i)
            std::swap(files[i - 1], files[size_t(splitmix64(state) % i)]);
        const auto testCount = size_t(std::llround(double(files.size()) * config.testFraction));
        listing.test.insert(listing.test.end(), files.begin(), files.begin() + std::ptrdiff_t(testCount));
        listing.train.insert(listing.train.end(), files.begin() + std::ptrdiff_t(testCount), files.end());
    }
    if (listing.splitFolders) {
        for (const std::string& name : sortedSubfolders(root / "test")) {
            const auto found = std::find(listing.classNames.begin(), listing.classNames.end(), name);
            if (found == listing.classNames.end())
                throw DataError((root / "test" / name).string() + ": a test class with no training folder (train/"
                                + name + " is missing)");
            const std::vector<ImageFile> files
                = classFiles(root, root / "test" / name, int64_t(found - listing.classNames.begin()));
            listing.test.insert(listing.test.end(), files.begin(), files.end());
        }
        if (listing.test.empty())
            throw DataError((root / "test").string() + ": holds no images");
    } else if (listing.test.empty() || listing.train.empty()) {
        throw DataError(config.directory + ": too few images to hold out a test fraction of "
                        + std::to_string(config.testFraction) + " (" + std::to_string(listing.train.size())
                        + " training and " + std::to_string(listing.test.size()) + " test images)");
    }
    return listing;
}

std::vector<uint8_t> readWholeFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path + ": cannot open (is it readable?)");
    in.seekg(0, std::ios::end);
    const auto size = std::streamoff(in.tellg());
    in.seekg(0);
    std::vector<uint8_t> bytes(size_t(std::max<std::streamoff>(size, 0)));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size())))
        throw DataError(path + ": cannot read");
    return bytes;
}

bool isPng(const std::vector<uint8_t>& bytes)
{
    return bytes.size() >= 8 && png_sig_cmp(bytes.data(), 0, 8) == 0;
}

bool isJpeg(const std::vector<uint8_t>& bytes)
{
    return bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

// Interleaved rows (HWC) to channel planes (CHW).
std::vector<uint8_t> toPlanes(const std::vector<uint8_t>& interleaved, int64_t channels, int64_t pixels)
{
    if (channels == 1)
        return interleaved;
    std::vector<uint8_t> planes(interleaved.size());
    for (int64_t p = 0; p < pixels; ++p)
        for (int64_t c = 0; c < channels; ++c)
            planes[size_t(c * pixels + p)] = interleaved[size_t(p * channels + c)];
    return planes;
}

// An image's pixels are allocated from what its header claims, so a few damaged or hostile bytes
// could ask for gigabytes (issue 17: an 86-byte PNG claiming 51971 × 11010 pixels). The claim is
// checked before anything is allocated: against a ceiling no image of an image folder reaches
// (it is resized to at most 4096 × 4096 anyway), and for PNG against what the file can hold.
constexpr uint64_t kMaxImageSide = 8192;
constexpr uint64_t kMaxImagePixels = kMaxImageSide * kMaxImageSide;
// Deflate expands at most 1032:1, and one stored bit becomes at most 24 decoded bytes (a 1-bit
// palette image decoded as RGB).
constexpr uint64_t kMaxPngDecodedBytesPerFileByte = 1032 * 24;

void refuseImpossibleSize(const std::string& path, uint64_t width, uint64_t height)
{
    if (width * height > kMaxImagePixels)
        throw DataError(path + ": its header claims " + std::to_string(width) + "×" + std::to_string(height)
                        + " pixels, more than an image of an image folder may have (" + std::to_string(kMaxImageSide)
                        + "×" + std::to_string(kMaxImageSide) + "; a damaged header, or an image to shrink first)");
}

DecodedImage decodePng(const std::string& path, const std::vector<uint8_t>& bytes)
{
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
        throw DataError(path + ": not a readable PNG image (" + image.message + ")");
    const bool colour = (image.format & PNG_FORMAT_FLAG_COLOR) != 0;
    image.format = colour ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;  // alpha composited away
    try {
        refuseImpossibleSize(path, image.width, image.height);
        if (uint64_t(image.width) * image.height * (colour ? 3 : 1) > kMaxPngDecodedBytesPerFileByte * bytes.size())
            throw DataError(path + ": its header claims " + std::to_string(image.width) + "×"
                            + std::to_string(image.height) + " pixels, more than its " + std::to_string(bytes.size())
                            + " bytes can hold (a damaged header or a truncated file)");
    } catch (const DataError&) {
        png_image_free(&image);  // libpng frees its reader itself only when a read fails
        throw;
    }
    std::vector<uint8_t> interleaved(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, interleaved.data(), 0, nullptr))
        throw DataError(path + ": damaged PNG image (" + image.message + ")");
    DecodedImage decoded;
    decoded.channels = colour ? 3 : 1;
    decoded.height = image.height;
    decoded.width = image.width;
    decoded.pixels = toPlanes(interleaved, decoded.channels, decoded.height * decoded.width);
    return decoded;
}

struct TurboJpegCloser {
    void operator()(void* handle) const { tjDestroy(handle); }
};

DecodedImage decodeJpeg(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::unique_ptr<void, TurboJpegCloser> handle(tjInitDecompress());
    if (!handle)
        throw DataError(path + ": cannot start the JPEG decoder (" + tjGetErrorStr2(nullptr) + ")");
    int width = 0, height = 0, subsampling = 0, colourspace = 0;
    if (tjDecompressHeader3(handle.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), &width, &height,
                            &subsampling, &colourspace)
        != 0)
        throw DataError(path + ": not a readable JPEG image (" + tjGetErrorStr2(handle.get()) + ")");
    refuseImpossibleSize(path, uint64_t(width), uint64_t(height));
    const bool grey = colourspace == TJCS_GRAY;
    DecodedImage decoded;
    decoded.channels = grey ? 1 : 3;
    decoded.height = height;
    decoded.width = width;
    std::vector<uint8_t> interleaved(size_t(width) * size_t(height) * size_t(decoded.channels));
    // A warning (a truncated file decodes to a grey tail) counts as damage: the image is not what
    // the file's author saw.
    if (tjDecompress2(handle.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), interleaved.data(), width,
                      0, height, grey ? TJPF_GRAY : TJPF_RGB, 0)
        != 0)
        throw DataError(path + ": damaged JPEG image (" + tjGetErrorStr2(handle.get()) + ")");
    decoded.pixels = toPlanes(interleaved, decoded.channels, int64_t(width) * height);
    return decoded;
}

// Bilinear with antialiasing (what torchvision's Resize does on tensors), rounded back to bytes.
void resizeImage(DecodedImage& image, int64_t side)
{
    if (image.height == side && image.width == side)
        return;
    const torch::Tensor pixels
        = torch::from_blob(image.pixels.data(), {1, image.channels, image.height, image.width}, torch::kUInt8)
              .to(torch::kFloat32);
    const torch::Tensor resized = torch::nn::functional::interpolate(pixels,
                                                                     torch::nn::functional::InterpolateFuncOptions()
                                                                         .size(std::vector<int64_t>{side, side})
                                                                         .mode(torch::kBilinear)
                                                                         .align_corners(false)
                                                                         .antialias(true))
                                      .round_()
                                      .clamp_(0, 255)
                                      .to(torch::kUInt8)
                                      .contiguous();
    image.height = side;
    image.width = side;
    image.pixels.assign(resized.data_ptr<uint8_t>(), resized.data_ptr<uint8_t>() + resized.numel());
}

// ---- The cache file: a header, the labels and pixels, and a checksum of all of it ----

constexpr char kCacheMagic[8] = {'P', 'S', 'I', 'M', 'G', 'C', '0', '1'};

struct CacheHeader {
    uint64_t key = 0;
    int64_t channels = 0, height = 0, width = 0, train = 0, test = 0, skipped = 0;
    std::vector<std::string> classNames;
};

uint64_t listingKey(const FolderListing& listing, const DatasetConfig& config)
{
    // Everything that changes the pixels or labels: the files (by name, size and time), the
    // resize, the skip policy, and for a folder without train/ and test/ the test fraction.
    std::string text = "image-folder-v1|resize=" + std::to_string(config.resize)
        + "|skip=" + std::to_string(int(config.unreadableImages == UnreadableImages::Skip))
        + "|split=" + (listing.splitFolders ? std::string("folders") : std::to_string(config.testFraction));
    for (const auto& name : listing.classNames)
        text += "|class=" + name;
    uint64_t hash = fnv1a(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    for (const auto* files : {&listing.train, &listing.test}) {
        hash = fnv1a(reinterpret_cast<const uint8_t*>("|split"), 6, hash);
        for (const ImageFile& file : *files) {
            hash = fnv1a(reinterpret_cast<const uint8_t*>(file.relative.data()), file.relative.size() + 1, hash);
            const int64_t numbers[3] = {file.label, int64_t(file.size), file.modified};
            hash = fnv1a(reinterpret_cast<const uint8_t*>(numbers), sizeof numbers, hash);
        }
    }
    return hash;
}

std::string cachePath(const std::string& cacheDirectory, uint64_t key)
{
    return (fs::path(cacheDirectory) / (hexHash(key) + ".pixels")).string();
}

template <typename T>
void appendValue(std::string& out, const T& value)
{
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::string encodeHeader(const CacheHeader& header)
{
    std::string out(kCacheMagic, sizeof kCacheMagic);
    for (const int64_t value : {int64_t(header.key), header.channels, header.height, header.width, header.train,
                                header.test, header.skipped, int64_t(header.classNames.size())})
        appendValue(out, value);
    for (const auto& name : header.classNames) {
        appendValue(out, int64_t(name.size()));
        out += name;
    }
    return out;
}

// Writes through a temporary file and a rename, so a reader never sees half a file. A cache that
// cannot be written (read-only home, full disk) only costs the next load its speed.
std::string writeCache(const std::string& cacheDirectory, const CacheHeader& header, const RawDataset& data)
{
    std::error_code error;
    fs::create_directories(cacheDirectory, error);
    const std::string path = cachePath(cacheDirectory, header.key);
    const std::string temporary = path + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return {};
        const std::string head = encodeHeader(header);
        uint64_t checksum = fnv1aWords(reinterpret_cast<const uint8_t*>(head.data()), head.size());
        out.write(head.data(), std::streamsize(head.size()));
        for (const RawSplit* split : {&data.train, &data.test}) {
            for (const torch::Tensor& tensor : {split->labels, split->images}) {
                const auto* bytes = static_cast<const uint8_t*>(tensor.data_ptr());
                const size_t size = size_t(tensor.numel()) * tensor.element_size();
                checksum = fnv1aWords(bytes, size, checksum);
                out.write(reinterpret_cast<const char*>(bytes), std::streamsize(size));
            }
        }
        out.write(reinterpret_cast<const char*>(&checksum), sizeof checksum);
        if (!out.flush()) {
            fs::remove(temporary, error);
            return {};
        }
    }
    fs::rename(temporary, path, error);
    if (error) {
        fs::remove(temporary, error);
        return {};
    }
    return path;
}

// Reads the header; false when the file is not a cache file of this version, or its sizes are
// implausible. `fileSize` is checked against what the header declares before anything is
// allocated.
bool readCacheHeader(std::ifstream& in, uint64_t fileSize, CacheHeader& header, std::string& headBytes)
{
    char magic[sizeof kCacheMagic];
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, kCacheMagic, sizeof magic) != 0)
        return false;
    int64_t values[8];
    if (!in.read(reinterpret_cast<char*>(values), sizeof values))
        return false;
    header.key = uint64_t(values[0]);
    header.channels = values[1];
    header.height = values[2];
    header.width = values[3];
    header.train = values[4];
    header.test = values[5];
    header.skipped = values[6];
    const int64_t classCount = values[7];
    if (header.channels < 1 || header.channels > 4 || header.height < 1 || header.width < 1 || header.train < 0
        || header.test < 0 || classCount < 1 || classCount > 1'000'000 || header.height > (1 << 16)
        || header.width > (1 << 16))
        return false;
    for (int64_t i = 0; i < classCount; ++i) {
        int64_t length = 0;
        if (!in.read(reinterpret_cast<char*>(&length), sizeof length) || length < 0 || length > 4096)
            return false;
        std::string name(size_t(length), '\0');
        if (!in.read(name.data(), length))
            return false;
        header.classNames.push_back(std::move(name));
    }
    headBytes = encodeHeader(header);
    const uint64_t pixels = uint64_t(header.channels * header.height * header.width);
    const uint64_t expected = headBytes.size() + uint64_t(header.train + header.test) * (8 + pixels) + 8;
    return expected == fileSize;
}

// The cached dataset for `key`, or nothing when there is none or it does not read back exactly.
std::optional<std::pair<CacheHeader, RawDataset>> readCache(const std::string& path, uint64_t key)
{
    std::error_code error;
    const uint64_t fileSize = fs::file_size(path, error);
    if (error)
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    CacheHeader header;
    std::string head;
    if (!in || !readCacheHeader(in, fileSize, header, head) || header.key != key)
        return std::nullopt;
    RawDataset data;
    uint64_t checksum = fnv1aWords(reinterpret_cast<const uint8_t*>(head.data()), head.size());
    for (auto [split, count] : {std::pair{&data.train, header.train}, std::pair{&data.test, header.test}}) {
        split->labels = torch::empty({count}, torch::kInt64);
        split->images = torch::empty({count, header.channels, header.height, header.width}, torch::kUInt8);
        for (const torch::Tensor& tensor : {split->labels, split->images}) {
            auto* bytes = static_cast<uint8_t*>(tensor.data_ptr());
            const size_t size = size_t(tensor.numel()) * tensor.element_size();
            if (!in.read(reinterpret_cast<char*>(bytes), std::streamsize(size)))
                return std::nullopt;
            checksum = fnv1aWords(bytes, size, checksum);
        }
        const int64_t classes = int64_t(header.classNames.size());
        if (count > 0 && (split->labels.min().item<int64_t>() < 0 || split->labels.max().item<int64_t>() >= classes))
            return std::nullopt;
    }
    uint64_t stored = 0;
    if (!in.read(reinterpret_cast<char*>(&stored), sizeof stored) || stored != checksum)
        return std::nullopt;
    return std::pair{std::move(header), std::move(data)};
}

// Decodes every file on all cores. Each file's problem is kept with it, so the error reported is
// the first in listing order whatever thread met it.
struct DecodedFiles {
    std::vector<DecodedImage> images;
    std::vector<std::string> problems;  // "" where the file decoded
};

DecodedFiles decodeAll(const std::vector<ImageFile>& files, int64_t resize)
{
    DecodedFiles decoded;
    decoded.images.resize(files.size());
    decoded.problems.resize(files.size());
    at::parallel_for(0, int64_t(files.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            try {
                decoded.images[size_t(i)] = decodeImageFile(files[size_t(i)].path);
                if (resize > 0)
                    resizeImage(decoded.images[size_t(i)], resize);
            } catch (const std::exception& e) {
                decoded.problems[size_t(i)] = e.what();
            }
        }
    });
    return decoded;
}

RawSplit assemble(const std::vector<ImageFile>& files, DecodedFiles& decoded, int64_t channels, int64_t height,
                  int64_t width, const std::string& source)
{
    int64_t count = 0;
    for (const auto& problem : decoded.problems)
        count += problem.empty() ? 1 : 0;
    RawSplit split;
    split.source = source;
    split.images = torch::empty({count, channels, height, width}, torch::kUInt8);
    split.labels = torch::empty({count}, torch::kInt64);
    uint8_t* target = split.images.data_ptr<uint8_t>();
    int64_t* labels = split.labels.data_ptr<int64_t>();
    const int64_t plane = height * width;
    int64_t row = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        if (!decoded.problems[i].empty())
            continue;
        DecodedImage& image = decoded.images[i];
        uint8_t* out = target + row * channels * plane;
        // A grey image in a colour dataset: its one plane in each of the three channels.
        for (int64_t c = 0; c < channels; ++c)
            std::memcpy(out + c * plane, image.pixels.data() + (image.channels == 1 ? 0 : c) * plane, size_t(plane));
        labels[row] = files[i].label;
        image.pixels = {};
        ++row;
    }
    return split;
}

std::string firstImageWithSize(const std::vector<ImageFile>& files, const DecodedFiles& decoded, size_t& index)
{
    for (index = 0; index < files.size(); ++index) {
        if (decoded.problems[index].empty())
            return files[index].path;
    }
    return {};
}

}  // namespace

std::string imageFolderCacheDirectory()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "PruneScope" / "image-folders").string();
    const char* home = std::getenv("HOME");
    return (fs::path(home && *home ? home : "/tmp") / ".cache" / "PruneScope" / "image-folders").string();
}

DecodedImage decodeImageFile(const std::string& path)
{
    const std::vector<uint8_t> bytes = readWholeFile(path);
    if (isPng(bytes))
        return decodePng(path, bytes);
    if (isJpeg(bytes))
        return decodeJpeg(path, bytes);
    throw DataError(path + ": not a PNG or JPEG image");
}

ImageFolderLoad loadImageFolder(const DatasetConfig& config, const std::string& cacheDirectory)
{
    if (config.resize < 0 || config.resize > 4096)
        throw std::invalid_argument("dataset.resize: " + std::to_string(config.resize)
                                    + " is outside [0, 4096] (0 keeps the images' size)");
    const FolderListing listing = listFolder(config);
    const uint64_t key = listingKey(listing, config);
    ImageFolderLoad load;
    load.cacheFile = cachePath(cacheDirectory, key);
    const int64_t classes = int64_t(listing.classNames.size());

    if (auto cached = readCache(load.cacheFile, key)) {
        load.fromCache = true;
        load.skippedFiles = cached->first.skipped;
        load.data = std::move(cached->second);
        load.data.train.source = config.directory;
        load.data.test.source = config.directory;
    } else {
        std::vector<ImageFile> all = listing.train;
        all.insert(all.end(), listing.test.begin(), listing.test.end());
        DecodedFiles decoded = decodeAll(all, config.resize);
        for (size_t i = 0; i < all.size(); ++i) {
            if (decoded.problems[i].empty())
                continue;
            if (config.unreadableImages == UnreadableImages::Fail)
                throw DataError(decoded.problems[i]
                                + " (set unreadable images to \"skip\" to leave such files out and count them)");
            ++load.skippedFiles;
        }
        size_t first = 0;
        const std::string firstPath = firstImageWithSize(all, decoded, first);
        if (firstPath.empty())
            throw DataError(config.directory + ": no readable images (" + std::to_string(all.size())
                            + " files, none a PNG or JPEG image that decodes)");
        int64_t channels = 1;
        const DecodedImage& reference = decoded.images[first];
        const int64_t height = reference.height, width = reference.width;
        for (size_t i = 0; i < all.size(); ++i) {
            if (!decoded.problems[i].empty())
                continue;
            const DecodedImage& image = decoded.images[i];
            channels = std::max(channels, image.channels);
            if (image.height != reference.height || image.width != reference.width)
                throw DataError("images of different sizes: " + firstPath + " is " + std::to_string(reference.width)
                                + "×" + std::to_string(reference.height) + " but " + all[i].path + " is "
                                + std::to_string(image.width) + "×" + std::to_string(image.height)
                                + " (set a resize to bring every image to one size)");
        }
        const std::vector<ImageFile> trainFiles(all.begin(), all.begin() + std::ptrdiff_t(listing.train.size()));
        const std::vector<ImageFile> testFiles(all.begin() + std::ptrdiff_t(listing.train.size()), all.end());
        DecodedFiles trainDecoded, testDecoded;
        trainDecoded.images.assign(
            std::make_move_iterator(decoded.images.begin()),
            std::make_move_iterator(decoded.images.begin() + std::ptrdiff_t(listing.train.size())));
        trainDecoded.problems.assign(decoded.problems.begin(),
                                     decoded.problems.begin() + std::ptrdiff_t(listing.train.size()));
        testDecoded.images.assign(
            std::make_move_iterator(decoded.images.begin() + std::ptrdiff_t(listing.train.size())),
            std::make_move_iterator(decoded.images.end()));
        testDecoded.problems.assign(decoded.problems.begin() + std::ptrdiff_t(listing.train.size()),
                                    decoded.problems.end());
        decoded = {};
        load.data.train = assemble(trainFiles, trainDecoded, channels, height, width, config.directory);
        load.data.test = assemble(testFiles, testDecoded, channels, height, width, config.directory);
        if (load.data.train.labels.size(0) == 0 || load.data.test.labels.size(0) == 0)
            throw DataError(config.directory + ": no readable "
                            + (load.data.train.labels.size(0) == 0 ? "training" : "test") + " images");
        CacheHeader header{key,
                           channels,
                           height,
                           width,
                           load.data.train.labels.size(0),
                           load.data.test.labels.size(0),
                           load.skippedFiles,
                           listing.classNames};
        load.cacheFile = writeCache(cacheDirectory, header, load.data);
    }
    load.data.classes = classes;
    load.data.contentFingerprint = hexHash(key);
    load.data.train = limitSplit(std::move(load.data.train), config.trainLimit);
    load.data.test = limitSplit(std::move(load.data.test), config.testLimit);
    load.report = std::to_string(classes) + " classes, "
        + (load.fromCache ? "read from the cache " + load.cacheFile
                          : "decoded"
                   + (load.cacheFile.empty() ? " (the cache could not be written)"
                                             : " and cached in " + load.cacheFile));
    if (load.skippedFiles > 0)
        load.report += "; " + std::to_string(load.skippedFiles) + " unreadable files skipped";
    load.data.report = load.report;
    return load;
}

RawDataset readImageFolderDataset(const DatasetConfig& config)
{
    return loadImageFolder(config, imageFolderCacheDirectory()).data;
}

DatasetSummary inspectImageFolderDataset(const DatasetConfig& config)
{
    const FolderListing listing = listFolder(config);
    DatasetSummary summary;
    summary.classNames = listing.classNames;
    summary.splitFolders = listing.splitFolders;
    summary.trainImages = int64_t(listing.train.size());
    summary.testImages = int64_t(listing.test.size());
    const int64_t classes = int64_t(listing.classNames.size());
    // The cache knows the exact shape (every image decoded); without it, the first image's header.
    const std::string cacheFile = cachePath(imageFolderCacheDirectory(), listingKey(listing, config));
    std::error_code error;
    const uint64_t fileSize = fs::file_size(cacheFile, error);
    std::ifstream in(cacheFile, std::ios::binary);
    CacheHeader header;
    std::string head;
    if (!error && in && readCacheHeader(in, fileSize, header, head)) {
        summary.shape = {header.channels, header.height, header.width, classes};
        return summary;
    }
    // The first image that decodes (with "skip", unreadable files before it do not count).
    DecodedImage first;
    for (const ImageFile& file : listing.train) {
        try {
            first = decodeImageFile(file.path);
            break;
        } catch (const DataError&) {
            if (config.unreadableImages == UnreadableImages::Fail)
                throw;
        }
    }
    if (first.pixels.empty())
        throw DataError(config.directory + ": no readable training images");
    summary.shape = {first.channels, config.resize > 0 ? config.resize : first.height,
                     config.resize > 0 ? config.resize : first.width, classes};
    return summary;
}

}  // namespace prunescope
