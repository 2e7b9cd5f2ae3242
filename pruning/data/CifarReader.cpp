// The binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky, 2009): files of fixed-size records,
// each one label byte (CIFAR-10) or a coarse and a fine label byte (CIFAR-100) followed by the
// 3×32×32 image, channel by channel, row by row.

#include "data/DatasetReaders.h"
#include "data/IdxReader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace prunescope {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kChannels = 3, kSide = 32, kImageBytes = kChannels * kSide * kSide;

struct CifarLayout {
    const char* title;
    std::vector<std::string> trainFiles, testFiles;
    int64_t labelBytes;  // bytes before the image in each record
    int64_t labelOffset;  // which of them is the label the run learns
    int64_t classes;
    const char* archiveFolder;  // what the official archive unpacks into
    int64_t recordBytes() const { return labelBytes + kImageBytes; }
};

CifarLayout layoutFor(const DatasetConfig& config)
{
    if (datasetFormat(config) == DatasetFormat::Cifar10)
        return {"CIFAR-10",
                {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"},
                {"test_batch.bin"},
                1,
                0,
                10,
                "cifar-10-batches-bin"};
    const bool fine = config.cifarLabels == CifarLabels::Fine;
    return {"CIFAR-100", {"train.bin"}, {"test.bin"}, 2, fine ? 1 : 0, fine ? 100 : 20, "cifar-100-binary"};
}

// The folder holding the files: the directory itself, or the folder the official archive unpacks
// into inside it (a user who unpacked the archive by hand points at its parent).
std::string filesFolder(const std::string& directory, const CifarLayout& layout)
{
    if (!fs::exists(fs::path(directory) / layout.testFiles.front())
        && fs::exists(fs::path(directory) / layout.archiveFolder / layout.testFiles.front()))
        return (fs::path(directory) / layout.archiveFolder).string();
    return directory;
}

// The number of records in `path`, from its size: checked before anything is allocated.
int64_t recordCount(const std::string& path, const CifarLayout& layout)
{
    std::error_code error;
    if (!fs::is_regular_file(path, error))
        throw DataError(path + ": missing (a " + std::string(layout.title) + " folder holds " + [&] {
            std::string names;
            for (const auto& list : {layout.trainFiles, layout.testFiles})
                for (const auto& name : list)
                    names += (names.empty() ? "" : ", ") + name;
            return names;
        }() + "; the binary version, not the Python or MATLAB one)");
    const auto size = int64_t(fs::file_size(path, error));
    if (error)
        throw DataError(path + ": cannot read its size (" + error.message() + ")");
    if (size == 0)
        throw DataError(path + ": the file is empty");
    if (size % layout.recordBytes() != 0)
        throw DataError(path + ": " + std::to_string(size) + " bytes is not a whole number of "
                        + std::to_string(layout.recordBytes()) + "-byte " + layout.title + " records ("
                        + std::to_string(size / layout.recordBytes()) + " records and "
                        + std::to_string(size % layout.recordBytes()) + " bytes left over: a truncated file, or not a "
                        + layout.title + " batch)");
    return size / layout.recordBytes();
}

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

// Reads the split's files in order into one uint8 [N, 3, 32, 32] tensor, stopping after `limit`
// records (0 = all).
RawSplit readCifarSplit(const std::string& folder, const std::vector<std::string>& files, const CifarLayout& layout,
                        int64_t limit)
{
    std::vector<std::pair<std::string, int64_t>> sources;
    int64_t total = 0;
    for (const auto& name : files) {
        const std::string path = (fs::path(folder) / name).string();
        const int64_t count = recordCount(path, layout);
        sources.emplace_back(path, count);
        total += count;
    }
    const int64_t wanted = limit > 0 ? std::min(limit, total) : total;
    RawSplit split;
    split.images = torch::empty({wanted, kChannels, kSide, kSide}, torch::kUInt8);
    split.labels = torch::empty({wanted}, torch::kInt64);
    split.source = sources.front().first;
    uint8_t* images = split.images.data_ptr<uint8_t>();
    int64_t* labels = split.labels.data_ptr<int64_t>();

    constexpr int64_t kChunkRecords = 1000;
    std::vector<uint8_t> buffer(size_t(kChunkRecords * layout.recordBytes()));
    int64_t done = 0;
    for (const auto& [path, count] : sources) {
        if (done == wanted)
            break;
        std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
        if (!file)
            throw DataError(path + ": cannot open (is it readable?)");
        for (int64_t record = 0; record < count && done < wanted;) {
            const int64_t chunk = std::min({kChunkRecords, count - record, wanted - done});
            const size_t bytes = size_t(chunk * layout.recordBytes());
            if (std::fread(buffer.data(), 1, bytes, file.get()) != bytes)
                throw DataError(path + ": file ends early at record " + std::to_string(record)
                                + " (changed while reading?)");
            for (int64_t r = 0; r < chunk; ++r) {
                const uint8_t* entry = buffer.data() + r * layout.recordBytes();
                const int64_t label = entry[layout.labelOffset];
                if (label >= layout.classes)
                    throw DataError(path + ": record " + std::to_string(record + r) + " has label "
                                    + std::to_string(label) + ", outside the " + std::to_string(layout.classes)
                                    + " classes 0.." + std::to_string(layout.classes - 1));
                labels[done + r] = label;
                std::memcpy(images + (done + r) * kImageBytes, entry + layout.labelBytes, size_t(kImageBytes));
            }
            record += chunk;
            done += chunk;
        }
    }
    return split;
}

}  // namespace

RawDataset readCifarDataset(const DatasetConfig& config)
{
    const CifarLayout layout = layoutFor(config);
    const std::string folder = filesFolder(config.directory, layout);
    RawDataset raw;
    raw.classes = layout.classes;
    raw.train = readCifarSplit(folder, layout.trainFiles, layout, config.trainLimit);
    raw.test = readCifarSplit(folder, layout.testFiles, layout, config.testLimit);
    uint64_t hash = 1469598103934665603ull;
    for (const RawSplit* split : {&raw.train, &raw.test}) {
        hash = fnv1aWords(split->images.data_ptr<uint8_t>(), size_t(split->images.numel()), hash);
        hash = fnv1aWords(reinterpret_cast<const uint8_t*>(split->labels.data_ptr<int64_t>()),
                          size_t(split->labels.numel()) * sizeof(int64_t), hash);
    }
    raw.contentFingerprint = (layout.classes == 20 ? "coarse-" : "") + hexHash(hash);
    return raw;
}

DatasetSummary inspectCifarDataset(const DatasetConfig& config)
{
    const CifarLayout layout = layoutFor(config);
    if (!fs::is_directory(config.directory))
        throw DataError("'" + config.directory + "' is not a directory (get " + layout.title
                        + " with: prunescope-cli download " + config.name + ")");
    const std::string folder = filesFolder(config.directory, layout);
    DatasetSummary summary;
    summary.shape = {kChannels, kSide, kSide, layout.classes};
    for (const auto& name : layout.trainFiles)
        summary.trainImages += recordCount((fs::path(folder) / name).string(), layout);
    for (const auto& name : layout.testFiles)
        summary.testImages += recordCount((fs::path(folder) / name).string(), layout);
    return summary;
}

}  // namespace prunescope
