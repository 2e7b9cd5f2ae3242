#include "data/Dataset.h"

#include "data/IdxReader.h"

#include <ATen/CPUGeneratorImpl.h>

#include <sstream>

namespace prunescope {
namespace {

// FNV-1a: small, stable across platforms and versions; a fingerprint, not a security hash.
uint64_t fnv1a(const uint8_t* data, size_t size, uint64_t hash = 1469598103934665603ull)
{
    for (size_t i = 0; i < size; ++i) {
        hash ^= data[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

struct RawSplit {
    IdxArray images;
    IdxArray labels;
    std::string imagesPath;
    std::string labelsPath;
};

RawSplit readSplit(const std::string& directory, const std::string& prefix, int64_t limit)
{
    RawSplit raw;
    raw.imagesPath = findIdxFile(directory, prefix + "-images-idx3-ubyte");
    raw.labelsPath = findIdxFile(directory, prefix + "-labels-idx1-ubyte");
    raw.images = readIdxFile(raw.imagesPath, 3);
    raw.labels = readIdxFile(raw.labelsPath, 1);
    if (raw.images.dims[0] != raw.labels.dims[0])
        throw DataError(raw.labelsPath + ": has " + std::to_string(raw.labels.dims[0]) + " labels but " + raw.imagesPath
                        + " has " + std::to_string(raw.images.dims[0]) + " images");
    for (uint8_t label : raw.labels.bytes) {
        if (label > 9)
            throw DataError(raw.labelsPath + ": label " + std::to_string(label) + " is outside 0..9");
    }
    if (limit > 0 && limit < raw.images.dims[0]) {
        const int64_t pixels = raw.images.dims[1] * raw.images.dims[2];
        raw.images.dims[0] = limit;
        raw.images.bytes.resize(size_t(limit * pixels));
        raw.labels.dims[0] = limit;
        raw.labels.bytes.resize(size_t(limit));
    }
    return raw;
}

}  // namespace

torch::Generator seededGenerator(uint64_t seed)
{
    return at::make_generator<at::CPUGeneratorImpl>(seed);
}

TensorDataset makeTensorDataset(const std::vector<uint8_t>& images, const std::vector<int64_t>& imageDims,
                                const std::vector<uint8_t>& labels, double mean, double std)
{
    const int64_t n = imageDims.at(0);
    TensorDataset data;
    data.images
        = torch::from_blob(const_cast<uint8_t*>(images.data()), {n, 1, imageDims.at(1), imageDims.at(2)}, torch::kUInt8)
              .to(torch::kFloat32)
              .div_(255.0)
              .sub_(mean)
              .div_(std);
    data.labels = torch::from_blob(const_cast<uint8_t*>(labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
    return data;
}

DataSplits loadDataSplits(const DatasetConfig& config, uint64_t seed)
{
    if (config.validationFraction < 0 || config.validationFraction >= 1)
        throw std::invalid_argument("dataset.validation_fraction must be in [0, 1), got "
                                    + std::to_string(config.validationFraction));
    RawSplit train = readSplit(config.directory, "train", config.trainLimit);
    RawSplit test = readSplit(config.directory, "t10k", config.testLimit);
    if (train.images.dims[1] != test.images.dims[1] || train.images.dims[2] != test.images.dims[2])
        throw DataError(test.imagesPath + ": images are " + std::to_string(test.images.dims[1]) + "×"
                        + std::to_string(test.images.dims[2]) + " but the training images are "
                        + std::to_string(train.images.dims[1]) + "×" + std::to_string(train.images.dims[2]));

    // Normalise with the training set's statistics (what a deployment would know).
    double sum = 0, sumSquares = 0;
    for (uint8_t pixel : train.images.bytes) {
        const double v = pixel / 255.0;
        sum += v;
        sumSquares += v * v;
    }
    const double count = double(train.images.bytes.size());
    const double mean = sum / count;
    const double std = std::sqrt(std::max(sumSquares / count - mean * mean, 1e-12));

    TensorDataset all = makeTensorDataset(train.images.bytes, train.images.dims, train.labels.bytes, mean, std);
    DataSplits splits;
    splits.test = makeTensorDataset(test.images.bytes, test.images.dims, test.labels.bytes, mean, std);

    const int64_t n = all.size();
    const auto validationCount = int64_t(std::floor(double(n) * config.validationFraction));
    if (n - validationCount < 1)
        throw DataError(train.imagesPath + ": too few training samples (" + std::to_string(n)
                        + ") for a validation fraction of " + std::to_string(config.validationFraction));
    const torch::Tensor order = torch::randperm(n, seededGenerator(seed ^ 0x5eedda7aull), torch::kInt64);
    const torch::Tensor validationIndex = order.narrow(0, 0, validationCount);
    const torch::Tensor trainIndex = order.narrow(0, validationCount, n - validationCount);
    splits.train = {all.images.index_select(0, trainIndex), all.labels.index_select(0, trainIndex)};
    splits.validation = {all.images.index_select(0, validationIndex), all.labels.index_select(0, validationIndex)};

    uint64_t hash = fnv1a(train.images.bytes.data(), train.images.bytes.size());
    hash = fnv1a(train.labels.bytes.data(), train.labels.bytes.size(), hash);
    hash = fnv1a(test.images.bytes.data(), test.images.bytes.size(), hash);
    hash = fnv1a(test.labels.bytes.data(), test.labels.bytes.size(), hash);
    std::ostringstream fingerprint;
    fingerprint << std::hex << hash << "-n" << std::dec << n << "-v" << validationCount << "-t" << splits.test.size()
                << "-s" << seed;
    splits.fingerprint = fingerprint.str();
    splits.shape = {1, train.images.dims[1], train.images.dims[2], 10};
    return splits;
}

DatasetSummary inspectDataset(const DatasetConfig& config)
{
    if (datasetFormat(config) != DatasetFormat::Idx)
        throw DataError("dataset " + config.name + ": this format cannot be read yet");
    checkIdxDataset(config.directory);
    const IdxHeader train = readIdxHeader(findIdxFile(config.directory, "train-images-idx3-ubyte"), 3);
    const IdxHeader test = readIdxHeader(findIdxFile(config.directory, "t10k-images-idx3-ubyte"), 3);
    return {{1, train.dims[1], train.dims[2], 10}, train.dims[0], test.dims[0]};
}

BatchIterator::BatchIterator(const TensorDataset& data, int64_t batchSize, bool shuffle, torch::Generator generator)
    : m_data(data), m_batchSize(std::max<int64_t>(1, batchSize))
{
    if (shuffle && data.size() > 1) {
        const torch::Tensor order = torch::randperm(data.size(), generator, torch::kInt64);
        m_data.images = data.images.index_select(0, order);
        m_data.labels = data.labels.index_select(0, order);
    }
}

bool BatchIterator::next(torch::Tensor& images, torch::Tensor& labels)
{
    if (m_offset >= m_data.size())
        return false;
    const int64_t count = std::min(m_batchSize, m_data.size() - m_offset);
    images = m_data.images.narrow(0, m_offset, count);
    labels = m_data.labels.narrow(0, m_offset, count);
    m_offset += count;
    return true;
}

}  // namespace prunescope
