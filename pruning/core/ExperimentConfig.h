#pragma once
// The whole description of one experiment. Plain values only (no LibTorch), so storage, ui and
// the CLI can hold, show and store a config cheaply. Everything a run's numbers depend on is here,
// which is what makes a stored run reproducible from its config and seed.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace prunescope {

// One training phase: the dense training, or the fine-tuning after pruning.
struct TrainRecipe {
    int epochs = 10;
    int batchSize = 128;
    std::string optimizer = "sgd";  // "sgd" | "adam"
    double learningRate = 0.05;
    double momentum = 0.9;
    bool nesterov = true;
    double weightDecay = 5e-4;
    std::string schedule = "cosine";  // "constant" | "step" | "cosine"
    int stepEpochs = 5;  // for "step": decay every stepEpochs
    double stepGamma = 0.1;  // for "step": multiply by this
    // The CIFAR recipe of He et al. (2016): each training image shifted by a random crop of the
    // image padded by 4 pixels, and flipped left-right with probability 1/2; seeded from the run's
    // seed. Off for the MNIST family (digits and letters are not mirror-symmetric). A stored
    // config without the field predates augmentation: off.
    bool augment = false;

    bool operator==(const TrainRecipe&) const = default;
};

// Which labels of CIFAR-100 a run learns: the 100 fine classes or the 20 coarse superclasses.
enum class CifarLabels { Fine, Coarse };
// What an image folder does with a file it cannot decode.
enum class UnreadableImages { Fail, Skip };

struct DatasetConfig {
    // A known dataset's id (core/DatasetCatalogue.h: "fashion-mnist", "mnist", "kmnist",
    // "cifar10", "cifar100"), or "idx" / "image-folder" for the user's own files in that format.
    std::string name = "fashion-mnist";
    std::string directory = "/usr/share/datasets/fashion-mnist";
    double validationFraction = 0.1;  // taken from the training set, seeded
    int64_t trainLimit = 0;  // 0 = all; >0 keeps the first N training samples (tests, quick looks)
    int64_t testLimit = 0;  // 0 = all
    CifarLabels cifarLabels = CifarLabels::Fine;  // CIFAR-100 only
    // Image folder without train/ and test/ sub-folders: the share of each class held out for
    // testing, chosen by a seeded shuffle.
    double testFraction = 0.2;
    // Image folder: every image resized to resize × resize pixels; 0 = keep the size (all images
    // must then have the same size).
    int64_t resize = 0;
    UnreadableImages unreadableImages = UnreadableImages::Fail;

    bool operator==(const DatasetConfig&) const = default;
};

// A method parameter value, typed as in the method's schema.
using ParamValue = std::variant<bool, int64_t, double, std::string>;
using ParamMap = std::map<std::string, ParamValue>;

struct ExperimentConfig {
    std::string name;  // free text for the user; not part of the result
    // An id from the model zoo, or the path of a TorchScript file (see isModelFile): a network
    // for the dataset's images ([N, C, H, W], or flattened to [N, C·H·W]) and classes, saved by
    // torch.jit.script(m).save(path) or torch.jit.trace. Every model is built for the data's shape.
    // Store absolute paths: a stored run re-runs from its config. A file's weights are its
    // initialisation, whatever the seed: θ0 for the methods that start from or rewind to it, and
    // what a "fresh random initialisation" (the lottery ticket's control) starts from too.
    // The dense cache keys a file by its content (a hash of its bytes), not by its path.
    std::string model = "lenet5";
    DatasetConfig dataset;
    TrainRecipe denseTraining;
    std::string method = "global_magnitude";  // id from the method registry
    ParamMap methodParams;  // missing entries take the schema's defaults
    TrainRecipe fineTuning{.epochs = 3, .learningRate = 0.01};
    uint64_t seed = 42;
    int threads = 0;  // intra-op threads; 0 = all cores
    bool useDenseCache = true;  // reuse a trained dense checkpoint with the same key
    std::string cacheDirectory;  // empty = ~/.cache/PruneScope/dense
    int latencyRepeats = 30;  // timed forward passes per network and batch size; 0 = do not measure
    // Training batches (of the fine-tuning batch size) on which BatchNorm statistics are
    // re-estimated right after a one-shot pruning step, before "after pruning" is evaluated;
    // 0 = keep the dense network's statistics. A stored config without the field predates it: 0.
    int bnRecalibrationBatches = 20;

    bool operator==(const ExperimentConfig&) const = default;
};

// Whether a config's model names a TorchScript file rather than a zoo id: it contains a '/' or
// ends with ".pt" or ".pth" (zoo ids never do).
bool isModelFile(const std::string& model);
// How to show a model in lists: the zoo id, or a file's name without its folder.
std::string modelDisplayName(const std::string& model);
// Why a structured method refuses a TorchScript file model (it declares no channel graph).
inline constexpr const char* kStructuredNeedsZooModel
    = "structured methods need a zoo model; TorchScript models support unstructured and semi-structured methods";

// The default experiment the window opens with: LeNet-5 on Fashion-MNIST, global magnitude 90 %.
ExperimentConfig defaultExperiment();

// The presets that follow the study plan are in core/ExperimentPresets.h.

// JSON round trip. fromJson throws std::invalid_argument naming the field and what was expected.
std::string toJson(const ExperimentConfig& config, int indent = 2);
ExperimentConfig experimentFromJson(const std::string& json);

std::string paramToString(const ParamValue& value);

}  // namespace prunescope
