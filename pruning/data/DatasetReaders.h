#pragma once
// The readers behind loadDataSplits and inspectDataset, one per file format. Each returns the
// images as uint8 [N, C, H, W] pixels and int64 labels, with the limits applied, and checks what
// it reads: a problem is a DataError naming the file.

#include "core/ExperimentConfig.h"
#include "data/Dataset.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace prunescope {

struct RawSplit {
    torch::Tensor images;  // uint8 [N, C, H, W]
    torch::Tensor labels;  // int64 [N], each in [0, classes)
    std::string source;  // the file or folder the images came from, for messages
};

struct RawDataset {
    RawSplit train;
    RawSplit test;
    int64_t classes = 0;
    // Identifies the content read and the options that shaped it (labels, resize, split...).
    std::string contentFingerprint;
    std::string report;  // what loading did worth a line in the run log ("" when nothing)
};

// FNV-1a: small, stable across platforms and versions; a fingerprint, not a security hash.
uint64_t fnv1a(const uint8_t* data, size_t size, uint64_t hash = 1469598103934665603ull);
// The same, eight bytes at a time (for the large binary formats, ~8× faster); not equal to fnv1a.
uint64_t fnv1aWords(const uint8_t* data, size_t size, uint64_t hash = 1469598103934665603ull);
std::string hexHash(uint64_t hash);

// The first `limit` rows of a split (0 = all), copied so the rest can be freed.
RawSplit limitSplit(RawSplit split, int64_t limit);

RawDataset readCifarDataset(const DatasetConfig& config);
DatasetSummary inspectCifarDataset(const DatasetConfig& config);

RawDataset readImageFolderDataset(const DatasetConfig& config);
DatasetSummary inspectImageFolderDataset(const DatasetConfig& config);

}  // namespace prunescope
