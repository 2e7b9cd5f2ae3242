// Dataset loading figures (issue 15, "Done when 5"), on generated data of the real sizes:
//   CIFAR-10-sized binary files (50 000 + 10 000 × 3×32×32) loaded by loadDataSplits;
//   a 60 000-image PNG folder (28×28 grey: Fashion-MNIST's images when installed, else
//   generated ones) loaded the first time (decoded on all cores) and from its cache;
//   the augmentation's share of a training epoch (LeNet-5 on 28×28, the cheapest model, so the
//   largest share; and the data path alone on CIFAR-sized batches);
//   the peak resident memory of a process that loads the CIFAR-10-sized data, and of one that
//   trains and evaluates ResNet-20 on it.
// Each measurement runs in a fresh process (this program started again with a mode), so the peak
// memory of one does not include another's. Prints medians.
//   Run: build/dev/tests/benchmarks/bench_datasets [WORK_DIR]
#include "SyntheticImages.h"
#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "data/ImageFolder.h"
#include "models/Models.h"
#include "train/Trainer.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

using namespace prunescope;
using namespace prunescope::testsupport;
namespace fs = std::filesystem;

namespace {

double seconds(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double peakMegabytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

// Runs this program again with `arguments`; returns what it printed.
std::string runChild(const std::vector<std::string>& arguments)
{
    std::string command = fs::read_symlink("/proc/self/exe").string();
    for (const auto& argument : arguments)
        command += " '" + argument + "'";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot start " + command);
    std::string output;
    char buffer[4096];
    while (size_t got = fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, got);
    if (pclose(pipe) != 0)
        throw std::runtime_error(command + " failed:\n" + output);
    return output;
}

// 60 000 + 10 000 random-ish CIFAR records (content does not matter to the reader's speed).
void writeCifarSized(const std::string& directory)
{
    fs::create_directories(directory);
    std::mt19937_64 rng(1);
    std::vector<uint8_t> record(3073);
    auto write = [&](const std::string& name, int count) {
        std::FILE* file = std::fopen((directory + "/" + name).c_str(), "wb");
        for (int i = 0; i < count; ++i) {
            record[0] = uint8_t(i % 10);
            for (size_t b = 1; b < record.size(); b += 8) {
                const uint64_t bits = rng();
                std::memcpy(record.data() + b, &bits, std::min<size_t>(8, record.size() - b));
            }
            std::fwrite(record.data(), 1, record.size(), file);
        }
        std::fclose(file);
    };
    for (int batch = 1; batch <= 5; ++batch)
        write("data_batch_" + std::to_string(batch) + ".bin", 10000);
    write("test_batch.bin", 10000);
}

DatasetConfig cifarConfig(const std::string& directory)
{
    DatasetConfig config;
    config.name = "cifar10";
    config.directory = directory;
    return config;
}

int loadCifarOnce(const std::string& directory)
{
    const auto start = std::chrono::steady_clock::now();
    const DataSplits splits = loadDataSplits(cifarConfig(directory), 1);
    const double elapsed = seconds(start);
    std::cout << elapsed << " " << peakMegabytes() << " " << splits.train.size() << "\n";
    return 0;
}

// 60 000 training + 10 000 test PNGs in train/ and test/ class folders.
void writePngFolder(const std::string& directory)
{
    DatasetConfig fashion;
    const bool real = fs::exists(fashion.directory + "/train-images-idx3-ubyte.gz");
    for (const auto& [prefix, split, count] :
         {std::tuple{"train", "train", 60000}, std::tuple{"t10k", "test", 10000}}) {
        IdxArray images, labels;
        if (real) {
            images = readIdxFile(findIdxFile(fashion.directory, std::string(prefix) + "-images-idx3-ubyte"), 3);
            labels = readIdxFile(findIdxFile(fashion.directory, std::string(prefix) + "-labels-idx1-ubyte"), 1);
        }
        for (int i = 0; i < count; ++i) {
            const int label = real ? labels.bytes[size_t(i)] : i % 10;
            const fs::path folder = fs::path(directory) / split / ("class_" + std::to_string(label));
            fs::create_directories(folder);
            PlaneImage image = syntheticImage(label, 1, 28, 28, uint64_t(i));
            if (real)
                image.pixels.assign(images.bytes.begin() + i * 784, images.bytes.begin() + (i + 1) * 784);
            writePng((folder / (std::to_string(i) + ".png")).string(), image);
        }
    }
    std::cout << "PNG folder written from " << (real ? "Fashion-MNIST's images" : "generated images") << "\n";
}

int loadFolderOnce(const std::string& directory, const std::string& cache)
{
    DatasetConfig config;
    config.name = "image-folder";
    config.directory = directory;
    const auto start = std::chrono::steady_clock::now();
    const ImageFolderLoad load = loadImageFolder(config, cache);
    const double elapsed = seconds(start);
    std::cout << elapsed << " " << (load.fromCache ? 1 : 0) << " " << load.data.train.labels.size(0) << "\n";
    return 0;
}

// One epoch of LeNet-5 on 60 000 generated 28×28 images, augmentation off then on.
int trainEpochs(int repeats)
{
    const torch::Tensor pixels
        = torch::randint(0, 256, {60000, 1, 28, 28}, seededGenerator(1), torch::kInt64).to(torch::kUInt8);
    DataSplits data;
    data.train
        = {pixels, torch::randint(0, 10, {60000}, seededGenerator(2), torch::kInt64), measurePixelStatistics(pixels)};
    data.shape = {1, 28, 28, 10};
    for (int r = 0; r < repeats; ++r) {
        for (const bool augment : {false, true}) {
            auto model = createModel("lenet5", data.shape);
            TrainRecipe recipe;
            recipe.epochs = 1;
            recipe.augment = augment;
            const auto start = std::chrono::steady_clock::now();
            trainModel(*model, data, recipe, "dense", 1, {});
            std::cout << augment << " " << seconds(start) << "\n";
        }
    }
    return 0;
}

// The data path alone on CIFAR-sized data: one epoch of batches of 128, off and on.
int iterateEpochs(const std::string& directory, int repeats)
{
    const DataSplits splits = loadDataSplits(cifarConfig(directory), 1);
    for (int r = 0; r < repeats; ++r) {
        for (const bool augment : {false, true}) {
            BatchIterator batches(splits.train, 128, true, seededGenerator(uint64_t(r)),
                                  augment ? c10::optional<torch::Generator>(seededGenerator(7)) : c10::nullopt);
            torch::Tensor x, y;
            const auto start = std::chrono::steady_clock::now();
            while (batches.next(x, y)) {
            }
            std::cout << augment << " " << seconds(start) << "\n";
        }
    }
    return 0;
}

// Peak memory of a CIFAR-10-sized ResNet-20 run: the whole data set loaded as a run loads it,
// ResNet-20 trained with the run's batch size (128, augmented) and evaluated on the validation
// and test splits with the evaluation batch (1000). Training stops after `batches` batches: the
// resident set reaches its plateau within the first ones (the images, the model, its gradients,
// momentum and one batch's activations), so a full epoch peaks at the same figure, minutes later.
int resnet20Memory(const std::string& directory, int64_t batches)
{
    const auto start = std::chrono::steady_clock::now();
    DataSplits splits = loadDataSplits(cifarConfig(directory), 1);
    const double afterLoad = peakMegabytes();
    auto model = createModel("resnet20", splits.shape);
    TrainRecipe recipe;
    recipe.epochs = 1;
    recipe.augment = true;
    DataSplits trained = splits;  // the same tensors (no copy): training sees the first batches only
    trained.train = {splits.train.images.narrow(0, 0, batches * recipe.batchSize),
                     splits.train.labels.narrow(0, 0, batches * recipe.batchSize), splits.train.statistics};
    trainModel(*model, trained, recipe, "dense", 1, {});
    evaluateModel(*model, splits.validation);
    evaluateModel(*model, splits.test);
    std::cout << afterLoad << " " << peakMegabytes() << " " << seconds(start) << "\n";
    return 0;
}

std::vector<std::vector<double>> rows(const std::string& text)
{
    std::vector<std::vector<double>> result;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::vector<double> row;
        double value;
        while (fields >> value)
            row.push_back(value);
        if (!row.empty())
            result.push_back(row);
    }
    return result;
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        // All cores, as the CLI's default (threads = 0): image folders decode on every one.
        torch::set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (!args.empty() && args[0] == "--load-cifar")
            return loadCifarOnce(args.at(1));
        if (!args.empty() && args[0] == "--load-folder")
            return loadFolderOnce(args.at(1), args.at(2));
        if (!args.empty() && args[0] == "--train-epochs")
            return trainEpochs(std::stoi(args.at(1)));
        if (!args.empty() && args[0] == "--resnet20-memory")
            return resnet20Memory(args.at(1), std::stoll(args.at(2)));
        if (!args.empty() && args[0] == "--iterate-epochs")
            return iterateEpochs(args.at(1), std::stoi(args.at(2)));

        const fs::path work
            = args.empty() ? fs::temp_directory_path() / "prunescope-bench-datasets" : fs::path(args[0]);
        const std::string cifar = (work / "cifar10").string(), folder = (work / "png-folder").string(),
                          cache = (work / "cache").string();
        std::cout << "threads: " << at::get_num_threads() << "\n";
        if (!fs::exists(cifar + "/test_batch.bin"))
            writeCifarSized(cifar);
        if (!fs::exists(folder + "/test"))
            writePngFolder(folder);

        std::vector<double> cifarTimes, cifarPeaks;
        for (int i = 0; i < 5; ++i) {
            const auto row = rows(runChild({"--load-cifar", cifar})).at(0);
            cifarTimes.push_back(row[0]);
            cifarPeaks.push_back(row[1]);
        }
        std::printf("CIFAR-10-sized binary load (50 000 + 10 000 × 3×32×32, 5 runs): median %.3f s "
                    "(target < 2 s); peak RSS of the loading process: median %.0f MB\n",
                    median(cifarTimes), median(cifarPeaks));

        std::vector<double> firstLoads, cachedLoads;
        for (int i = 0; i < 3; ++i) {
            fs::remove_all(cache);
            firstLoads.push_back(rows(runChild({"--load-folder", folder, cache})).at(0)[0]);
            for (int j = 0; j < 2; ++j) {
                const auto row = rows(runChild({"--load-folder", folder, cache})).at(0);
                if (row[1] != 1)
                    throw std::runtime_error("the second load did not come from the cache");
                cachedLoads.push_back(row[0]);
            }
        }
        std::printf("60 000 + 10 000-image PNG folder: first load median %.2f s (target < 30 s), from the cache "
                    "median %.3f s (target < 2 s)\n",
                    median(firstLoads), median(cachedLoads));

        std::vector<double> plainIteration, augmentedIteration;
        for (const auto& row : rows(runChild({"--iterate-epochs", cifar, "5"})))
            (row[0] != 0 ? augmentedIteration : plainIteration).push_back(row[1]);
        std::printf("CIFAR-10-sized epoch of batches (128) without a model: median %.3f s plain, %.3f s augmented "
                    "(+%.3f s per epoch)\n",
                    median(plainIteration), median(augmentedIteration),
                    median(augmentedIteration) - median(plainIteration));

        std::vector<double> plainEpochs, augmentedEpochs;
        for (const auto& row : rows(runChild({"--train-epochs", "3"})))
            (row[0] != 0 ? augmentedEpochs : plainEpochs).push_back(row[1]);
        std::printf("LeNet-5 training epoch, 60 000 × 1×28×28 (3 runs): median %.2f s plain, %.2f s augmented: "
                    "+%.1f %% (target < 10 %%)\n",
                    median(plainEpochs), median(augmentedEpochs),
                    100.0 * (median(augmentedEpochs) / median(plainEpochs) - 1.0));

        std::vector<double> loadPeaks, runPeaks;
        for (int i = 0; i < 3; ++i) {
            const auto row = rows(runChild({"--resnet20-memory", cifar, "30"})).at(0);
            loadPeaks.push_back(row[0]);
            runPeaks.push_back(row[1]);
        }
        std::printf(
            "CIFAR-10-sized ResNet-20 run (data loaded, 30 training batches of 128 augmented, validation and "
            "test evaluated; 3 runs): peak RSS median %.0f MB (target < 1536 MB), %.0f MB of it after loading\n",
            median(runPeaks), median(loadPeaks));
    } catch (const std::exception& e) {
        std::cerr << "bench_datasets: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
