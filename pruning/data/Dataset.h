#pragma once
// Datasets held in memory as normalised tensors, split into train / validation / test.

#include "core/DatasetCatalogue.h"
#include "core/ExperimentConfig.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace prunescope {

struct TensorDataset {
    torch::Tensor images;  // float32 [N, C, H, W], normalised
    torch::Tensor labels;  // int64 [N]
    int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};

struct DataSplits {
    TensorDataset train;
    TensorDataset validation;
    TensorDataset test;
    DataShape shape;  // of every image, and the number of classes: what the model is built for
    // Identifies the exact data a run saw (content of the files, limits, split): part of the
    // dense-checkpoint key and of a run's reproducibility record.
    std::string fingerprint;
};

// Loads an IDX dataset directory (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
// t10k-...), applies the limits, normalises with the training mean and std, and takes a seeded
// validation split from the training set. Throws DataError naming the file and the problem.
DataSplits loadDataSplits(const DatasetConfig& config, uint64_t seed);

// What a dataset folder holds, found without decoding its images: milliseconds for the binary
// formats, a directory listing (and one image header) for an image folder.
struct DatasetSummary {
    DataShape shape;
    int64_t trainImages = 0;  // before the validation split and the limits
    int64_t testImages = 0;
};
// Checks that config.directory holds a dataset of config.name's format and says what it holds.
// Throws DataError naming the file and the problem. Meant for refusing a bad data folder before a
// run is started and stored, and for showing the shape and classes in the window.
DatasetSummary inspectDataset(const DatasetConfig& config);

// Builds a TensorDataset from raw IDX-style arrays (bytes 0..255), normalised with mean/std.
TensorDataset makeTensorDataset(const std::vector<uint8_t>& images, const std::vector<int64_t>& imageDims,
                                const std::vector<uint8_t>& labels, double mean, double std);

// Iterates a dataset in batches. Shuffling permutes the whole tensor once per epoch and then
// hands out contiguous slices, so there is no per-sample overhead.
class BatchIterator {
public:
    BatchIterator(const TensorDataset& data, int64_t batchSize, bool shuffle, torch::Generator generator);
    bool next(torch::Tensor& images, torch::Tensor& labels);
    int64_t batchCount() const { return (m_data.size() + m_batchSize - 1) / m_batchSize; }

private:
    TensorDataset m_data;
    int64_t m_batchSize;
    int64_t m_offset = 0;
};

// A CPU generator seeded deterministically; used for shuffles, splits and random masks so
// results do not depend on the global RNG's history.
torch::Generator seededGenerator(uint64_t seed);

}  // namespace prunescope
