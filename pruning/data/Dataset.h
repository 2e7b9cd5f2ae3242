#pragma once
// Datasets held in memory as the bytes of their images (uint8 [N, C, H, W]), split into train /
// validation / test, and normalised per batch with the training split's per-channel statistics:
// CIFAR-10 takes ~150 MB this way instead of ~600 MB as float32.

#include "core/DatasetCatalogue.h"
#include "core/ExperimentConfig.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope {

// The mean and standard deviation of each channel's pixels (as value / 255) over the training
// split (what a deployment would know). Empty: a dataset without images.
struct PixelStatistics {
    std::vector<double> mean;
    std::vector<double> std;
};

struct TensorDataset {
    torch::Tensor images;  // uint8 [N, C, H, W], the pixels as the files hold them
    torch::Tensor labels;  // int64 [N]
    PixelStatistics statistics;  // of the training split, shared by all three splits

    int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
    // The one path by which anything reads images: uint8 [K, C, H, W] pixels to float32,
    // / 255, − mean, / std, per channel.
    torch::Tensor normalise(const torch::Tensor& pixels) const;
    // The images at `index` (int64 [K]), normalised.
    torch::Tensor normalisedAt(const torch::Tensor& index) const { return normalise(images.index_select(0, index)); }
};

struct DataSplits {
    TensorDataset train;
    TensorDataset validation;
    TensorDataset test;
    DataShape shape;  // of every image, and the number of classes: what the model is built for
    // Identifies the exact data a run saw (content of the files, format options, limits, split):
    // part of the dense-checkpoint key and of a run's reproducibility record.
    std::string fingerprint;
    // What loading did worth a line in the run log (an image folder read from its cache, files
    // skipped as unreadable); empty when nothing.
    std::string loadReport;
};

// Loads the dataset config.name's format reads from config.directory (IDX, CIFAR-10/100 binary,
// image folder), applies the limits, takes a seeded validation split from the training set, and
// measures the per-channel statistics of the training images. Throws DataError naming the file
// and the problem.
DataSplits loadDataSplits(const DatasetConfig& config, uint64_t seed);

// What a dataset folder holds, found without decoding its images: milliseconds for the binary
// formats, a directory listing (and one image header) for an image folder.
struct DatasetSummary {
    DataShape shape;
    int64_t trainImages = 0;  // before the validation split and the limits
    int64_t testImages = 0;
    // Image folder: the folders its classes are named after, in label order; whether it has
    // train/ and test/ sub-folders (else the test images are a seeded share of each class).
    std::vector<std::string> classNames;
    bool splitFolders = false;
};
// Checks that config.directory holds a dataset of config.name's format and says what it holds.
// Throws DataError naming the file and the problem. Meant for refusing a bad data folder before a
// run is started and stored, and for showing the shape and classes in the window.
DatasetSummary inspectDataset(const DatasetConfig& config);

// Per-channel statistics of uint8 [N, C, H, W] images: double sums in the images' memory order.
PixelStatistics measurePixelStatistics(const torch::Tensor& images);

// Random crop of the image zero-padded by `padding` pixels on each side, and a left-right flip
// with probability 1/2 (He et al., 2016): on uint8 [K, C, H, W] pixels, drawn from `generator`.
torch::Tensor augmentBatch(const torch::Tensor& pixels, torch::Generator& generator, int64_t padding = 4);

// Iterates a dataset in batches of normalised images. Shuffling draws one permutation per epoch
// and hands out its slices; augmentation (when given a generator) crops and flips each batch's
// pixels before they are normalised.
class BatchIterator {
public:
    BatchIterator(const TensorDataset& data, int64_t batchSize, bool shuffle, torch::Generator generator,
                  c10::optional<torch::Generator> augmentation = c10::nullopt);
    bool next(torch::Tensor& images, torch::Tensor& labels);
    int64_t batchCount() const { return (m_data.size() + m_batchSize - 1) / m_batchSize; }

private:
    TensorDataset m_data;
    torch::Tensor m_order;  // undefined: in order
    c10::optional<torch::Generator> m_augmentation;
    int64_t m_batchSize;
    int64_t m_offset = 0;
};

// A CPU generator seeded deterministically; used for shuffles, splits and random masks so
// results do not depend on the global RNG's history.
torch::Generator seededGenerator(uint64_t seed);

}  // namespace prunescope
