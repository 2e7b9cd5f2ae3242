#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "core/DatasetCatalogue.h"
#include "data/Dataset.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

namespace {

const char* formatName(DatasetFormat format)
{
    switch (format) {
    case DatasetFormat::Idx:
        return "IDX";
    case DatasetFormat::Cifar10:
        return "CIFAR-10 binary";
    case DatasetFormat::Cifar100:
        return "CIFAR-100 binary";
    case DatasetFormat::ImageFolder:
        return "image folder";
    }
    return "?";
}

// What is in a known dataset's folder: its summary, or why it is not usable.
struct Installed {
    bool found = false;
    DatasetSummary summary;
    std::string problem;
};

Installed lookFor(const KnownDataset& dataset, const std::string& directory)
{
    Installed installed;
    DatasetConfig config;
    config.name = dataset.id;
    config.directory = directory;
    try {
        installed.summary = inspectDataset(config);
        installed.found = true;
    } catch (const std::exception& e) {
        installed.problem = e.what();
    }
    return installed;
}

std::string downloadCommand(const KnownDataset& dataset)
{
    return dataset.downloads.empty() ? std::string() : "prunescope-cli download " + dataset.id;
}

}  // namespace

int datasetsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("datasets", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {}, {"json"});
        if (!args.positional.empty())
            throw UsageError("unexpected argument '" + args.positional[0] + "'");
        json list = json::array();
        for (const KnownDataset& dataset : knownDatasets()) {
            const std::string directory = defaultDatasetDirectory(dataset);
            const Installed installed = lookFor(dataset, directory);
            const std::string download = downloadCommand(dataset);
            if (args.has("json")) {
                json entry = {{"id", dataset.id},
                              {"title", dataset.title},
                              {"format", formatName(dataset.format)},
                              {"directory", directory},
                              {"installed", installed.found},
                              {"download", download.empty() ? json(nullptr) : json(download)}};
                if (installed.found)
                    entry["found"] = {
                        {"channels", installed.summary.shape.channels},  {"height", installed.summary.shape.height},
                        {"width", installed.summary.shape.width},        {"classes", installed.summary.shape.classes},
                        {"train_images", installed.summary.trainImages}, {"test_images", installed.summary.testImages}};
                else
                    entry["problem"] = installed.problem;
                list.push_back(entry);
                continue;
            }
            std::cout << dataset.id << "  " << dataset.title << " · " << formatName(dataset.format) << ", "
                      << describeShape(dataset.shape) << "\n";
            std::cout << "    looked for in " << directory << "\n";
            if (installed.found) {
                std::cout << "    installed: " << describeShape(installed.summary.shape) << "; "
                          << installed.summary.trainImages << " training and " << installed.summary.testImages
                          << " test images\n";
            } else {
                std::cout << "    not installed (" << installed.problem << ")\n";
                if (!download.empty())
                    std::cout << "    get it with: " << download << "\n";
            }
            std::cout << "    run --dataset " << dataset.id << "\n";
        }
        const std::string idxHelp = "your own IDX files (train-/t10k-images-idx3-ubyte, train-/t10k-labels-idx1-ubyte, "
                                    ".gz or plain; classes from the largest label)";
        const std::string folderHelp = "your own PNG or JPEG images, one sub-folder per class, under train/ and test/ "
                                       "or split by --test-fraction; --resize N, --unreadable-images fail|skip";
        if (args.has("json")) {
            list.push_back({{"id", kIdxDatasetName}, {"format", formatName(DatasetFormat::Idx)}, {"help", idxHelp}});
            list.push_back({{"id", kImageFolderDatasetName},
                            {"format", formatName(DatasetFormat::ImageFolder)},
                            {"help", folderHelp}});
            std::cout << list.dump(2) << "\n";
            return int(kOk);
        }
        std::cout << kIdxDatasetName << "  " << idxHelp << "\n    run --dataset idx --data FOLDER\n";
        std::cout << kImageFolderDatasetName << "  " << folderHelp
                  << "\n    run --dataset image-folder --data FOLDER\n";
        std::cout << "Downloads go to " << userDatasetRoot() << " ($XDG_DATA_HOME/PruneScope/datasets).\n";
        return int(kOk);
    });
}

}  // namespace prunescope::cli
