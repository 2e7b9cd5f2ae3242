#include "core/DatasetCatalogue.h"
#include "core/SystemDatasets.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace prunescope {

std::string describeShape(const DataShape& shape)
{
    return std::to_string(shape.channels) + "×" + std::to_string(shape.height) + "×" + std::to_string(shape.width)
        + ", " + std::to_string(shape.classes) + " classes";
}

namespace {

// The four gzip-compressed IDX files of an MNIST-family dataset at `base`, with their MD5 sums in
// the order train images, train labels, test images, test labels.
std::vector<DownloadFile> idxFiles(const std::string& base, const char* const (&md5)[4])
{
    const char* names[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                           "t10k-labels-idx1-ubyte.gz"};
    std::vector<DownloadFile> files;
    for (int i = 0; i < 4; ++i)
        files.push_back({base + names[i], md5[i], false});
    return files;
}

}  // namespace

const std::vector<KnownDataset>& knownDatasets()
{
    static const std::vector<KnownDataset> datasets = [] {
        const char* const fashionMd5[4] = {"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                                           "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"};
        const char* const mnistMd5[4] = {"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                                         "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"};
        const char* const kmnistMd5[4] = {"bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                                          "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134"};
        const DataShape grey28{1, 28, 28, 10};
        const DataShape colour32{3, 32, 32, 10};
        return std::vector<KnownDataset>{
            {"fashion-mnist", "Fashion-MNIST (Zalando, 2017)", DatasetFormat::Idx, grey28, 60000, 10000,
             "/usr/share/datasets/fashion-mnist",
             idxFiles("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", fashionMd5)},
            {"mnist", "MNIST (LeCun et al., 1998)", DatasetFormat::Idx, grey28, 60000, 10000, "",
             idxFiles("https://ossci-datasets.s3.amazonaws.com/mnist/", mnistMd5)},
            {"kmnist", "Kuzushiji-MNIST (Clanuwat et al., 2018)", DatasetFormat::Idx, grey28, 60000, 10000, "",
             idxFiles("http://codh.rois.ac.jp/kmnist/dataset/kmnist/", kmnistMd5)},
            {"cifar10",
             "CIFAR-10 (Krizhevsky, 2009)",
             DatasetFormat::Cifar10,
             colour32,
             50000,
             10000,
             "",
             {{"https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", true}}},
            {"cifar100",
             "CIFAR-100 (Krizhevsky, 2009)",
             DatasetFormat::Cifar100,
             DataShape{3, 32, 32, 100},
             50000,
             10000,
             "",
             {{"https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8", true}}},
        };
    }();
    return datasets;
}

const KnownDataset* findKnownDataset(const std::string& id)
{
    for (const auto& dataset : knownDatasets()) {
        if (dataset.id == id)
            return &dataset;
    }
    return nullptr;
}

DatasetFormat datasetFormat(const DatasetConfig& config)
{
    if (const KnownDataset* known = findKnownDataset(config.name))
        return known->format;
    if (config.name == kIdxDatasetName)
        return DatasetFormat::Idx;
    if (config.name == kImageFolderDatasetName)
        return DatasetFormat::ImageFolder;
    std::string names;
    for (const auto& dataset : knownDatasets())
        names += dataset.id + ", ";
    throw std::invalid_argument("dataset.name: unknown dataset '" + config.name + "' (known: " + names + kIdxDatasetName
                                + " or " + kImageFolderDatasetName + " for your own files)");
}

bool augmentsByDefault(DatasetFormat format)
{
    return format != DatasetFormat::Idx;
}

std::string userDatasetRoot()
{
    namespace fs = std::filesystem;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "PruneScope" / "datasets").string();
    const char* home = std::getenv("HOME");
    return (fs::path(home && *home ? home : ".") / ".local" / "share" / "PruneScope" / "datasets").string();
}

std::string debianDatasetPackage(const KnownDataset& dataset)
{
    return dataset.id == "fashion-mnist" ? "dataset-fashion-mnist" : "";
}

std::string systemDatasetDirectory(const KnownDataset& dataset)
{
    if (dataset.systemDirectory.empty())
        return {};
    if (const char* root = std::getenv("PRUNESCOPE_SYSTEM_DATASETS"); root && *root)
        return (std::filesystem::path(root) / std::filesystem::path(dataset.systemDirectory).filename()).string();
    return dataset.systemDirectory;
}

std::string defaultDatasetDirectory(const KnownDataset& dataset)
{
    std::error_code error;
    const std::string system = systemDatasetDirectory(dataset);
    if (!system.empty() && std::filesystem::is_directory(system, error))
        return system;
    return (std::filesystem::path(userDatasetRoot()) / dataset.id).string();
}

}  // namespace prunescope
