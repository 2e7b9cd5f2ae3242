#pragma once
// The datasets PruneScope knows: their file format, the shape of their images, where they are
// installed and where they are downloaded from. Plain values (no LibTorch), so the window, the CLI
// and the download code share one list.

#include "core/ExperimentConfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope {

// What a model is built for: images of channels × height × width, and the number of classes.
struct DataShape {
    int64_t channels = 1;
    int64_t height = 28;
    int64_t width = 28;
    int64_t classes = 10;

    int64_t pixelsPerImage() const { return channels * height * width; }
    bool operator==(const DataShape&) const = default;
};
// "1×28×28, 10 classes"
std::string describeShape(const DataShape& shape);

// How a dataset's files are laid out.
enum class DatasetFormat {
    Idx,  // train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-... (the MNIST family)
    Cifar10,  // data_batch_1..5.bin, test_batch.bin: records of 1 label byte + 3×32×32 bytes
    Cifar100,  // train.bin, test.bin: records of a coarse and a fine label byte + 3×32×32 bytes
    ImageFolder,  // one sub-folder per class (under train/ and test/, or split by a seeded fraction)
};

// One file fetched from a dataset's official location. An archive is unpacked into the dataset's
// folder (its top-level folder dropped); anything else is stored under its own name.
struct DownloadFile {
    std::string url;
    std::string md5;  // lowercase hex, as the dataset's publisher (or torchvision) lists it
    bool isArchive = false;
};

struct KnownDataset {
    std::string id;  // DatasetConfig::name: "fashion-mnist", "cifar10", ...
    std::string title;  // "Fashion-MNIST (Zalando, 2017)"
    DatasetFormat format = DatasetFormat::Idx;
    DataShape shape;  // what the published files hold
    int64_t trainImages = 0, testImages = 0;
    // Where a Debian package installs it ("" when none does); preferred when present.
    std::string systemDirectory;
    std::vector<DownloadFile> downloads;  // empty: cannot be downloaded
};

// The known datasets, in the order pickers show them (Fashion-MNIST, the default, first).
const std::vector<KnownDataset>& knownDatasets();
const KnownDataset* findKnownDataset(const std::string& id);  // nullptr when unknown

// DatasetConfig::name values for the user's own files in a known format.
inline constexpr const char* kIdxDatasetName = "idx";
inline constexpr const char* kImageFolderDatasetName = "image-folder";

// The format a dataset config asks for: a known dataset's, or the user's own "idx" /
// "image-folder". Throws std::invalid_argument naming the known names otherwise.
DatasetFormat datasetFormat(const DatasetConfig& config);

// Whether training augments by default for a format (random crop and flip, TrainRecipe::augment):
// yes for CIFAR and image folders (photographs, the recipe of the papers), no for the MNIST
// family (digits and letters are not mirror-symmetric, and IDX runs keep their numbers).
bool augmentsByDefault(DatasetFormat format);

// The folder where downloads go: $XDG_DATA_HOME/PruneScope/datasets (default
// ~/.local/share/PruneScope/datasets).
std::string userDatasetRoot();
// Where a known dataset is looked for: its system directory when that exists, else
// userDatasetRoot()/id.
std::string defaultDatasetDirectory(const KnownDataset& dataset);

}  // namespace prunescope
