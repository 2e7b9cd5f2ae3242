#include "data/Dataset.h"

#include "data/DatasetReaders.h"
#include "data/IdxReader.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace prunescope {

uint64_t fnv1a(const uint8_t* data, size_t size, uint64_t hash)
{
    for (size_t i = 0; i < size; ++i) {
        hash ^= data[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

uint64_t fnv1aWords(const uint8_t* data, size_t size, uint64_t hash)
{
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word;
        std::memcpy(&word, data + i, 8);
        hash ^= word;
        hash *= 1099511628211ull;
    }
    return fnv1a(data + i, size - i, hash);
}

std::string hexHash(uint64_t hash)
{
    std::ostringstream out;
    out << std::hex << hash;
    return out.str();
}

RawSplit limitSplit(RawSplit split, int64_t limit)
{
    if (limit > 0 && limit < split.labels.size(0)) {
        split.images = split.images.narrow(0, 0, limit).clone();
        split.labels = split.labels.narrow(0, 0, limit).clone();
    }
    return split;
}

namespace {

// One IDX split as the files hold it, limited; `maxLabel` is over the whole label file, so a
// limit does not change the number of classes a model is built for.
struct IdxSplit {
    IdxArray images;
    IdxArray labels;
    std::string imagesPath;
    std::string labelsPath;
    int maxLabel = 0;
};

IdxSplit readIdxSplit(const std::string& directory, const std::string& prefix, int64_t limit)
{
    IdxSplit raw;
    raw.imagesPath = findIdxFile(directory, prefix + "-images-idx3-ubyte");
    raw.labelsPath = findIdxFile(directory, prefix + "-labels-idx1-ubyte");
    raw.images = readIdxFile(raw.imagesPath, 3);
    raw.labels = readIdxFile(raw.labelsPath, 1);
    if (raw.images.dims[0] != raw.labels.dims[0])
        throw DataError(raw.labelsPath + ": has " + std::to_string(raw.labels.dims[0]) + " labels but " + raw.imagesPath
                        + " has " + std::to_string(raw.images.dims[0]) + " images");
    for (uint8_t label : raw.labels.bytes)
        raw.maxLabel = std::max<int>(raw.maxLabel, label);
    if (limit > 0 && limit < raw.images.dims[0]) {
        const int64_t pixels = raw.images.dims[1] * raw.images.dims[2];
        raw.images.dims[0] = limit;
        raw.images.bytes.resize(size_t(limit * pixels));
        raw.labels.dims[0] = limit;
        raw.labels.bytes.resize(size_t(limit));
    }
    return raw;
}

RawSplit toRawSplit(IdxSplit& split)
{
    const int64_t n = split.images.dims[0];
    RawSplit raw;
    raw.images
        = torch::from_blob(split.images.bytes.data(), {n, 1, split.images.dims[1], split.images.dims[2]}, torch::kUInt8)
              .clone();
    raw.labels = torch::from_blob(split.labels.bytes.data(), {n}, torch::kUInt8).to(torch::kInt64);
    raw.source = split.imagesPath;
    split.images.bytes = {};
    return raw;
}

// IDX files (the MNIST family, EMNIST-style letters): one channel; as many classes as the largest
// label of either label file says.
RawDataset readIdxDataset(const DatasetConfig& config)
{
    IdxSplit train = readIdxSplit(config.directory, "train", config.trainLimit);
    IdxSplit test = readIdxSplit(config.directory, "t10k", config.testLimit);
    if (train.images.dims[1] != test.images.dims[1] || train.images.dims[2] != test.images.dims[2])
        throw DataError(test.imagesPath + ": images are " + std::to_string(test.images.dims[1]) + "×"
                        + std::to_string(test.images.dims[2]) + " but the training images are "
                        + std::to_string(train.images.dims[1]) + "×" + std::to_string(train.images.dims[2]));
    RawDataset raw;
    raw.classes = std::max(train.maxLabel, test.maxLabel) + 1;
    // The fingerprint of the files' bytes, as before the other formats existed: dense checkpoints
    // of IDX runs keep their keys.
    uint64_t hash = fnv1a(train.images.bytes.data(), train.images.bytes.size());
    hash = fnv1a(train.labels.bytes.data(), train.labels.bytes.size(), hash);
    hash = fnv1a(test.images.bytes.data(), test.images.bytes.size(), hash);
    hash = fnv1a(test.labels.bytes.data(), test.labels.bytes.size(), hash);
    raw.contentFingerprint = hexHash(hash);
    raw.train = toRawSplit(train);
    raw.test = toRawSplit(test);
    return raw;
}

DatasetSummary inspectIdxDataset(const DatasetConfig& config)
{
    checkIdxDataset(config.directory);
    const IdxHeader train = readIdxHeader(findIdxFile(config.directory, "train-images-idx3-ubyte"), 3);
    const IdxHeader test = readIdxHeader(findIdxFile(config.directory, "t10k-images-idx3-ubyte"), 3);
    if (train.dims[1] != test.dims[1] || train.dims[2] != test.dims[2])
        throw DataError(findIdxFile(config.directory, "t10k-images-idx3-ubyte") + ": images are "
                        + std::to_string(test.dims[1]) + "×" + std::to_string(test.dims[2])
                        + " but the training images are " + std::to_string(train.dims[1]) + "×"
                        + std::to_string(train.dims[2]));
    // The labels are small (one byte per image): the class count is read, not assumed.
    int maxLabel = 0;
    for (const char* stem : {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
        for (uint8_t label : readIdxFile(findIdxFile(config.directory, stem), 1).bytes)
            maxLabel = std::max<int>(maxLabel, label);
    }
    DatasetSummary summary;
    summary.shape = {1, train.dims[1], train.dims[2], maxLabel + 1};
    summary.trainImages = train.dims[0];
    summary.testImages = test.dims[0];
    return summary;
}

// rows[i] becomes rows[order[i]] for every i, following the permutation's cycles with one
// row of scratch; `rows` must be contiguous and not shared.
torch::Tensor permuteRowsInPlace(torch::Tensor rows, const torch::Tensor& order)
{
    rows = rows.contiguous();
    const int64_t n = rows.size(0);
    if (n == 0)
        return rows;
    const auto rowBytes = size_t(rows.numel() / n) * rows.element_size();
    auto* data = static_cast<uint8_t*>(rows.data_ptr());
    const int64_t* from = order.data_ptr<int64_t>();
    std::vector<uint8_t> scratch(rowBytes);
    std::vector<bool> placed(size_t(n), false);
    for (int64_t start = 0; start < n; ++start) {
        if (placed[size_t(start)])
            continue;
        std::memcpy(scratch.data(), data + size_t(start) * rowBytes, rowBytes);
        int64_t current = start;
        while (from[current] != start) {
            std::memcpy(data + size_t(current) * rowBytes, data + size_t(from[current]) * rowBytes, rowBytes);
            placed[size_t(current)] = true;
            current = from[current];
        }
        std::memcpy(data + size_t(current) * rowBytes, scratch.data(), rowBytes);
        placed[size_t(current)] = true;
    }
    return rows;
}

RawDataset readDataset(const DatasetConfig& config)
{
    switch (datasetFormat(config)) {
    case DatasetFormat::Idx:
        return readIdxDataset(config);
    case DatasetFormat::Cifar10:
    case DatasetFormat::Cifar100:
        return readCifarDataset(config);
    case DatasetFormat::ImageFolder:
        return readImageFolderDataset(config);
    }
    throw std::logic_error("readDataset: unknown format");
}

}  // namespace

torch::Generator seededGenerator(uint64_t seed)
{
    return at::make_generator<at::CPUGeneratorImpl>(seed);
}

torch::Tensor TensorDataset::normalise(const torch::Tensor& pixels) const
{
    TORCH_CHECK(pixels.scalar_type() == torch::kUInt8, "TensorDataset::normalise expects uint8 pixels");
    // The same elementwise operations in the same order as when the whole dataset was converted
    // at load time, so an IDX run's numbers are bit-identical to those days.
    torch::Tensor out = pixels.to(torch::kFloat32).div_(255.0);
    const size_t channels = statistics.mean.size();
    if (channels == 1)
        return out.sub_(statistics.mean[0]).div_(statistics.std[0]);
    TORCH_CHECK(pixels.dim() == 4 && size_t(pixels.size(1)) == channels, "TensorDataset::normalise: images have ",
                pixels.sizes(), " but the statistics ", channels, " channels");
    for (size_t c = 0; c < channels; ++c)
        out.select(1, int64_t(c)).sub_(statistics.mean[c]).div_(statistics.std[c]);
    return out;
}

PixelStatistics measurePixelStatistics(const torch::Tensor& images)
{
    TORCH_CHECK(images.scalar_type() == torch::kUInt8 && images.dim() == 4,
                "measurePixelStatistics expects uint8 [N, C, H, W]");
    const torch::Tensor pixels = images.contiguous();
    const int64_t n = pixels.size(0), channels = pixels.size(1), plane = pixels.size(2) * pixels.size(3);
    std::vector<double> sum(size_t(channels), 0.0), sumSquares(size_t(channels), 0.0);
    const uint8_t* cursor = pixels.data_ptr<uint8_t>();
    // Plain double sums in memory order: for one channel exactly the sums of the first version.
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t c = 0; c < channels; ++c) {
            double s = sum[size_t(c)], q = sumSquares[size_t(c)];
            for (int64_t k = 0; k < plane; ++k) {
                const double v = cursor[k] / 255.0;
                s += v;
                q += v * v;
            }
            sum[size_t(c)] = s;
            sumSquares[size_t(c)] = q;
            cursor += plane;
        }
    }
    PixelStatistics statistics;
    const double count = double(n * plane);
    for (int64_t c = 0; c < channels; ++c) {
        const double mean = sum[size_t(c)] / count;
        statistics.mean.push_back(mean);
        statistics.std.push_back(std::sqrt(std::max(sumSquares[size_t(c)] / count - mean * mean, 1e-12)));
    }
    return statistics;
}

DataSplits loadDataSplits(const DatasetConfig& config, uint64_t seed)
{
    if (config.validationFraction < 0 || config.validationFraction >= 1)
        throw std::invalid_argument("dataset.validation_fraction must be in [0, 1), got "
                                    + std::to_string(config.validationFraction));
    const DatasetFormat format = datasetFormat(config);
    RawDataset raw = readDataset(config);
    if (raw.train.images.size(1) != raw.test.images.size(1) || raw.train.images.size(2) != raw.test.images.size(2)
        || raw.train.images.size(3) != raw.test.images.size(3))
        throw DataError(
            raw.test.source + ": images are "
            + describeShape({raw.test.images.size(1), raw.test.images.size(2), raw.test.images.size(3), raw.classes})
            + " but the training images are "
            + describeShape(
                {raw.train.images.size(1), raw.train.images.size(2), raw.train.images.size(3), raw.classes}));

    // Normalise with the training set's statistics (what a deployment would know).
    const PixelStatistics statistics = measurePixelStatistics(raw.train.images);

    DataSplits splits;
    splits.test = {raw.test.images, raw.test.labels, statistics};
    const int64_t n = raw.train.labels.size(0);
    const auto validationCount = int64_t(std::floor(double(n) * config.validationFraction));
    if (n - validationCount < 1)
        throw DataError(raw.train.source + ": too few training samples (" + std::to_string(n)
                        + ") for a validation fraction of " + std::to_string(config.validationFraction));
    const torch::Tensor order = torch::randperm(n, seededGenerator(seed ^ 0x5eedda7aull), torch::kInt64);
    // The images in the order of `order`, permuted in place: a CIFAR-sized training set is not
    // held twice while it is split. The validation rows come first and are copied out; the
    // training split is a view of the rest.
    const torch::Tensor images = permuteRowsInPlace(raw.train.images, order);
    const torch::Tensor labels = raw.train.labels.index_select(0, order);
    raw.train = {};
    splits.validation
        = {images.narrow(0, 0, validationCount).clone(), labels.narrow(0, 0, validationCount), statistics};
    splits.train = {images.narrow(0, validationCount, n - validationCount),
                    labels.narrow(0, validationCount, n - validationCount), statistics};

    std::ostringstream fingerprint;
    if (format != DatasetFormat::Idx)
        fingerprint << config.name << "-";
    fingerprint << raw.contentFingerprint << "-n" << n << "-v" << validationCount << "-t" << splits.test.size() << "-s"
                << seed;
    splits.fingerprint = fingerprint.str();
    splits.loadReport = raw.report;
    splits.shape = {splits.test.images.size(1), splits.test.images.size(2), splits.test.images.size(3), raw.classes};
    return splits;
}

DatasetSummary inspectDataset(const DatasetConfig& config)
{
    switch (datasetFormat(config)) {
    case DatasetFormat::Idx:
        return inspectIdxDataset(config);
    case DatasetFormat::Cifar10:
    case DatasetFormat::Cifar100:
        return inspectCifarDataset(config);
    case DatasetFormat::ImageFolder:
        return inspectImageFolderDataset(config);
    }
    throw std::logic_error("inspectDataset: unknown format");
}

torch::Tensor augmentBatch(const torch::Tensor& pixels, torch::Generator& generator, int64_t padding)
{
    TORCH_CHECK(pixels.scalar_type() == torch::kUInt8 && pixels.dim() == 4, "augmentBatch expects uint8 [K, C, H, W]");
    const torch::Tensor in = pixels.contiguous();
    const int64_t count = in.size(0), channels = in.size(1), height = in.size(2), width = in.size(3);
    // Drawn in one call each, so the stream depends only on the batch sizes.
    const torch::Tensor shifts = torch::randint(-padding, padding + 1, {count, 2}, generator, torch::kInt64);
    const torch::Tensor flips = torch::randint(0, 2, {count}, generator, torch::kInt64);
    torch::Tensor out = torch::zeros_like(in);
    const int64_t* shift = shifts.data_ptr<int64_t>();
    const int64_t* flip = flips.data_ptr<int64_t>();
    const uint8_t* source = in.data_ptr<uint8_t>();
    uint8_t* target = out.data_ptr<uint8_t>();
    const int64_t plane = height * width;
    at::parallel_for(0, count, 16, [&](int64_t begin, int64_t end) {
        for (int64_t k = begin; k < end; ++k) {
            const int64_t dy = shift[2 * k], dx = shift[2 * k + 1];
            const bool mirrored = flip[k] != 0;
            for (int64_t c = 0; c < channels; ++c) {
                const uint8_t* from = source + (k * channels + c) * plane;
                uint8_t* to = target + (k * channels + c) * plane;
                for (int64_t y = 0; y < height; ++y) {
                    const int64_t sy = y + dy;
                    if (sy < 0 || sy >= height)
                        continue;  // the zero padding
                    for (int64_t x = 0; x < width; ++x) {
                        // Crop of the padded image, then the flip: out[y][x] = crop[y][W-1-x].
                        const int64_t sx = (mirrored ? width - 1 - x : x) + dx;
                        if (sx >= 0 && sx < width)
                            to[y * width + x] = from[sy * width + sx];
                    }
                }
            }
        }
    });
    return out;
}

BatchIterator::BatchIterator(const TensorDataset& data, int64_t batchSize, bool shuffle, torch::Generator generator,
                             c10::optional<torch::Generator> augmentation)
    : m_data(data), m_augmentation(std::move(augmentation)), m_batchSize(std::max<int64_t>(1, batchSize))
{
    if (shuffle && data.size() > 1)
        m_order = torch::randperm(data.size(), generator, torch::kInt64);
}

bool BatchIterator::next(torch::Tensor& images, torch::Tensor& labels)
{
    if (m_offset >= m_data.size())
        return false;
    const int64_t count = std::min(m_batchSize, m_data.size() - m_offset);
    torch::Tensor pixels;
    if (m_order.defined()) {
        const torch::Tensor index = m_order.narrow(0, m_offset, count);
        pixels = m_data.images.index_select(0, index);
        labels = m_data.labels.index_select(0, index);
    } else {
        pixels = m_data.images.narrow(0, m_offset, count);
        labels = m_data.labels.narrow(0, m_offset, count);
    }
    if (m_augmentation)
        pixels = augmentBatch(pixels, *m_augmentation);
    images = m_data.normalise(pixels);
    m_offset += count;
    return true;
}

}  // namespace prunescope
