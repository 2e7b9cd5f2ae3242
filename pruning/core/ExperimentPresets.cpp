#include "core/ExperimentPresets.h"

#include "core/DatasetCatalogue.h"

#include <cmath>
#include <cstdio>

namespace prunescope {
namespace {

struct PresetSpec {
    int week;
    std::string slug;  // after "weekNN-"
    std::string summary;
    std::string model;
    std::string method;
    ParamMap params;
    int denseEpochs = 10;
    int fineTuneEpochs = 3;
    std::string dataset;  // a known dataset's id; empty: the default (Fashion-MNIST, the user's folder)
    std::optional<PaperResult> paper;
};

ExperimentPreset makePreset(const PresetSpec& spec)
{
    const StudyWeek& week = studyWeek(spec.week);
    char number[8];
    std::snprintf(number, sizeof number, "%02d", spec.week);
    ExperimentPreset preset;
    preset.id = "week" + std::string(number) + "-" + spec.slug;
    preset.title
        = "Week " + std::to_string(spec.week) + " · " + week.shortDate() + " · " + week.topic + " · " + spec.summary;
    preset.week = spec.week;
    preset.summary = spec.summary;
    preset.config = defaultExperiment();
    preset.config.name = preset.title;
    preset.config.model = spec.model;
    preset.config.method = spec.method;
    preset.config.methodParams = spec.params;
    preset.config.denseTraining.epochs = spec.denseEpochs;
    preset.config.fineTuning.epochs = spec.fineTuneEpochs;
    if (!spec.dataset.empty()) {
        const KnownDataset* dataset = findKnownDataset(spec.dataset);
        preset.config.dataset.name = dataset->id;
        preset.config.dataset.directory = defaultDatasetDirectory(*dataset);
        // The CIFAR recipe of He et al.: random crops and flips. Not for digits.
        const bool colour = dataset->shape.channels == 3;
        preset.config.denseTraining.augment = colour;
        preset.config.fineTuning.augment = colour;
        if (colour) {
            // SGD at 0.1 as the CIFAR papers train (cosine over the budget's few epochs), 0.01 to fine-tune.
            preset.config.denseTraining.learningRate = 0.1;
            preset.config.fineTuning.learningRate = 0.01;
        }
    }
    preset.paper = spec.paper;
    return preset;
}

std::string percentText(double fraction, int decimals)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.*f %%", decimals, fraction * 100);
    return text;
}

std::string epochsText(int epochs, const char* what)
{
    return std::to_string(epochs) + " " + what + (epochs == 1 ? " epoch" : " epochs");
}

}  // namespace

const std::vector<ExperimentPreset>& experimentPresets()
{
    static const std::vector<ExperimentPreset> presets = [] {
        const ParamMap halfTheChannels{{"channel_ratio", 0.5}};
        const std::vector<PresetSpec> specs = {
            // 1 · Unstructured: the default experiment first, then its baseline and its layer-wise twin.
            {1,
             "unstructured-global-magnitude",
             "LeNet-5, global magnitude 90 % (the default)",
             "lenet5",
             "global_magnitude",
             {{"sparsity", 0.9}}},
            {1,
             "unstructured-random-baseline",
             "LeNet-300-100, random 90 % (the baseline)",
             "lenet300100",
             "random",
             {{"sparsity", 0.9}}},
            {1,
             "unstructured-layerwise-magnitude",
             "LeNet-300-100, layer-wise magnitude 90 %",
             "lenet300100",
             "layerwise_magnitude",
             {{"sparsity", 0.9}}},
            // Han et al.'s own setup on their own benchmark (MNIST).
            {1,
             "paper-han-lenet300100-mnist",
             "Han et al. 2015: LeNet-300-100 on MNIST, 12× fewer weights (layer-wise magnitude)",
             "lenet300100",
             "layerwise_magnitude",
             // The per-layer densities the paper reports (Table 2): 8 %, 9 % and 26 % of the weights kept.
             {{"sparsity", 0.9},
              {"layer_sparsity", std::string("fc1=0.92, fc2=0.91, fc3=0.74")},
              {"include_classifier", true}},
             20,
             10,
             "mnist",
             PaperResult{"Han, Pool, Tran, Dally, Learning both Weights and Connections for Efficient Neural "
                         "Networks, NeurIPS 2015, Tables 1 and 2",
                         "LeNet-300-100: 267 K → 22 K weights (12×), fc1 8 %, fc2 9 %, fc3 26 % kept", 1 - 0.0164,
                         1 - 0.0159, 1 - 22.0 / 267.0, -1,
                         "train to convergence, then prune with per-layer thresholds and retrain, three times "
                         "over (iterative pruning; Caffe)",
                         ""}},
            // 2 · Structured: channels removed for real.
            {2, "structured-l1-filters", "VGG-small, L1 filters, half the channels", "vgg_small", "l1_filter",
             halfTheChannels, 4, 2},
            {2, "structured-fpgm-resnet", "ResNet-20, FPGM, half the channels", "resnet20", "fpgm", halfTheChannels, 4,
             2},
            // Li et al.'s own ResNet recipe: the residual width stays, so no residual group is cut.
            {2,
             "structured-l1-resnet-inner",
             "ResNet-20, L1 filters, half of each block's inner channels",
             "resnet20",
             "l1_filter",
             {{"channel_ratio", 0.5}, {"prune_residual", false}},
             4,
             2},
            // The papers' own setups on their own benchmark (CIFAR-10).
            {2,
             "paper-li-vgg16-cifar10",
             "Li et al. 2017: VGG-16 on CIFAR-10, L1 filters of conv1 and conv8–13 halved (pruned-A)",
             "vgg16_bn",
             "l1_filter",
             {{"channel_ratio", 0.0},
              {"layer_ratio",
               std::string("conv1=0.5, conv8=0.5, conv9=0.5, conv10=0.5, conv11=0.5, conv12=0.5, conv13=0.5")}},
             30,
             10,
             "cifar10",
             PaperResult{"Li, Kadav, Durdanovic, Samet, Graf, Pruning Filters for Efficient ConvNets, ICLR 2017, "
                         "Table 1",
                         "VGG-16-pruned-A: half the filters of conv1 and conv8 to conv13", 1 - 0.0675, 1 - 0.0660,
                         0.640, 0.342,
                         "dense: VGG-16 with BatchNorm trained to 93.25 % (Zagoruyko's cifar.torch recipe); "
                         "fine-tune 40 epochs at a constant learning rate of 0.001",
                         "error and parameters also in NNI's reproduction (microsoft/nni, L1FilterPruner docs)"}},
            {2,
             "paper-fpgm-resnet56-cifar10",
             "He et al. 2019: ResNet-56 on CIFAR-10, FPGM, about half the MACs removed",
             "resnet56a",
             "fpgm",
             // FPGM-only 40 %: 52.6 % of the FLOPs removed. Option A shortcuts keep the residual
             // streams whole, so the blocks' inner channels carry the cut.
             {{"target_macs", 0.474}, {"prune_residual", false}},
             30,
             10,
             "cifar10",
             PaperResult{"He, Liu, Wang, Hu, Yang, Filter Pruning via Geometric Median for Deep Convolutional "
                         "Neural Networks Acceleration, CVPR 2019, Table 1",
                         "ResNet-56, FPGM-only 40 %", 0.9359, 0.9326, -1, 0.526,
                         "200 epochs SGD (learning rate 0.1, ×0.2 at epochs 60, 120 and 160; weight decay 5e-4; "
                         "batch 128), the filters chosen again after every epoch (soft pruning)",
                         "accuracies also in DepGraph's comparison table (VainF/Torch-Pruning, reproduce/); "
                         "recipe from the authors' scripts/pruning_cifar10.sh"}},
            {2,
             "paper-depgraph-resnet56-cifar10",
             "Fang et al. 2023: ResNet-56 on CIFAR-10, group L1 over dependency groups, 2.1× fewer MACs",
             "resnet56b",
             "l1_filter",
             // Global ranking over every group, residual ties included (option B shortcuts).
             {{"target_macs", 0.472}, {"scope", std::string("global")}, {"prune_residual", true}},
             30,
             10,
             "cifar10",
             PaperResult{"Fang, Ma, Song, Mi, Wang, DepGraph: Towards Any Structural Pruning, CVPR 2023, Table 3",
                         "ResNet-56, Group-L1 at 2.12× fewer MACs", 0.9353, 0.9293, -1, 1 - 1 / 2.12,
                         "dense 200 epochs (learning rate 0.1, ×0.1 at 120, 150, 180); prune globally to 2.11× "
                         "fewer MACs; fine-tune 100 epochs (learning rate 0.01, ×0.1 at 60 and 80)",
                         "VainF/Torch-Pruning, reproduce/readme.md and reproduce/main.py"}},
            // 3 · Semi-structured.
            {3,
             "semi-structured-2-4",
             "LeNet-5-Caffe, 2:4 (N:M) sparsity",
             "lenet5caffe",
             "nm_sparsity",
             {{"n", int64_t(2)}, {"m", int64_t(4)}}},
            {3,
             "semi-structured-kernel-patterns",
             "VGG-small, kernel patterns (PatDNN)",
             "vgg_small",
             "kernel_pattern",
             {},
             4,
             2},
            // 4 · Before training: scored at θ0, trained sparse from θ0.
            {4,
             "before-training-snip",
             "LeNet-300-100, SNIP 95 % at initialisation",
             "lenet300100",
             "snip",
             {{"sparsity", 0.95}}},
            {4,
             "before-training-synflow",
             "LeNet-300-100, SynFlow 95 % (data-free)",
             "lenet300100",
             "synflow",
             {{"sparsity", 0.95}}},
            {4, "before-training-grasp", "LeNet-300-100, GraSP 95 %", "lenet300100", "grasp", {{"sparsity", 0.95}}},
            // 5 · During training, sparsity regularisation.
            {5,
             "regularisation-slimming",
             "VGG-small, Network Slimming, half the channels",
             "vgg_small",
             "slimming",
             {{"channel_ratio", 0.5}, {"lambda", 1e-4}},
             4,
             2},
            {5, "regularisation-ssl", "VGG-small, structured sparsity learning (group lasso)", "vgg_small", "ssl",
             halfTheChannels, 4, 2},
            // 6 · Dynamic sparse training: sparse from the first step.
            {6,
             "dynamic-sparse-rigl",
             "LeNet-5-Caffe, RigL 90 %, sparse from the start",
             "lenet5caffe",
             "rigl",
             {{"sparsity", 0.9}},
             5,
             0},
            {6,
             "dynamic-sparse-set",
             "LeNet-5-Caffe, SET 90 %, random regrowth",
             "lenet5caffe",
             "set",
             {{"sparsity", 0.9}},
             5,
             0},
            // 7 · During training, score-based.
            {7,
             "score-based-gmp",
             "LeNet-5-Caffe, gradual magnitude pruning to 90 %",
             "lenet5caffe",
             "gmp",
             {{"sparsity", 0.9}},
             5,
             0},
            {7,
             "score-based-soft-filters",
             "VGG-small, soft filter pruning, 30 % of the channels",
             "vgg_small",
             "sfp",
             {{"channel_ratio", 0.3}},
             4,
             2},
            // 8 · Differentiable pruning.
            {8,
             "differentiable-movement",
             "LeNet-5, movement pruning 90 % (learned scores)",
             "lenet5",
             "movement",
             {{"sparsity", 0.9}},
             10,
             0},
            // 9 · The lottery ticket and its rewinding variant.
            {9,
             "lottery-ticket",
             "LeNet-300-100, lottery ticket, 5 rounds of 20 %",
             "lenet300100",
             "lottery_ticket",
             {{"rounds", int64_t(5)}, {"rate", 0.2}, {"output_rate", 0.1}}},
            {9,
             "lottery-ticket-rewinding",
             "LeNet-300-100, rewinding to epoch 1, 3 rounds of 20 %",
             "lenet300100",
             "lottery_ticket",
             {{"rounds", int64_t(3)}, {"rate", 0.2}, {"reset", std::string("rewind")}, {"rewind_epoch", int64_t(1)}}},
            // 10 · Other score-based methods after training.
            {10,
             "score-based-taylor",
             "LeNet-5, first-order Taylor importance 90 %",
             "lenet5",
             "taylor",
             {{"sparsity", 0.9}}},
            // Fusion: Deep Compression (pruning → weight sharing → Huffman) on Fashion-MNIST with the
            // paper's per-layer densities (its Tables 2 and 3); the recipe of
            // docs/reproduce-deep-compression.sh, whose table is in docs/results/deep-compression.md.
            {10,
             "deep-compression-lenet300100",
             "LeNet-300-100, Deep Compression (prune, share 5-bit weights, Huffman)",
             "lenet300100",
             "deep_compression",
             {{"sparsity", 0.9},
              {"layer_sparsity", std::string("fc1=0.92, fc2=0.91, fc3=0.74")},
              {"include_classifier", true},
              {"centroid_epochs", int64_t(1)}},
             6,
             3},
            {10,
             "deep-compression-lenet5",
             "LeNet-5, Deep Compression (prune, share 5-bit weights, Huffman)",
             "lenet5",
             "deep_compression",
             // 5-bit conv weights and indices: this LeNet-5's convolutions hold 150 and 2,400 weights,
             // too few for the paper's 256-entry codebooks to pay off (docs/results/deep-compression.md).
             {{"sparsity", 0.9},
              {"layer_sparsity", std::string("conv1=0.34, conv2=0.88, fc1=0.95, fc2=0.81, fc3=0.7")},
              {"include_classifier", true},
              {"conv_bits", int64_t(5)},
              {"conv_index_bits", int64_t(5)},
              {"centroid_epochs", int64_t(1)}},
             6,
             3},
            {10, "score-based-hrank", "VGG-small, HRank (feature-map rank), half the channels", "vgg_small", "hrank",
             halfTheChannels, 4, 2},
            // Lin et al.'s own setup on their own benchmark (CIFAR-10).
            {10,
             "paper-hrank-resnet56-cifar10",
             "Lin et al. 2020: ResNet-56 on CIFAR-10, HRank, half the MACs removed",
             "resnet56a",
             "hrank",
             {{"target_macs", 0.5}, {"prune_residual", false}},
             30,
             10,
             "cifar10",
             PaperResult{"Lin, Ji, Wang, Zhang, Zhang, Tian, Shao, HRank: Filter Pruning using High-Rank Feature "
                         "Map, CVPR 2020, Table 1",
                         "ResNet-56: 62.72 M FLOPs, 0.49 M parameters left", 0.9326, 0.9317, 0.424, 0.500,
                         "from a trained ResNet-56, layer by layer: prune, then fine-tune 30 epochs (learning rate "
                         "0.01, ×0.1 at epochs 5 and 10; batch 128)",
                         "the authors' README (lmbxmu/HRank)"}},

            // 11 · Sparsity regularisation after training.
            {11, "regularisation-greg", "VGG-small, GReg (growing regularisation), half the channels", "vgg_small",
             "greg", halfTheChannels, 4, 2},
            // 12 · Pruning in early training.
            {12, "early-training-early-bird", "VGG-small, Early-Bird ticket, half the channels", "vgg_small",
             "early_bird", halfTheChannels, 10, 2},
            // 13 · Post-training: no retraining at all.
            {13,
             "post-training-wanda",
             "LeNet-5, Wanda 50 %, no retraining",
             "lenet5",
             "wanda",
             {{"sparsity", 0.5}},
             10,
             0},
            {13,
             "post-training-reconstruction",
             "LeNet-5, layer-wise reconstruction 80 %, no retraining",
             "lenet5",
             "layerwise_reconstruction",
             {{"sparsity", 0.8}},
             10,
             0},
            // 14 · Run-time: each input chooses its channels.
            {14,
             "run-time-fbs",
             "VGG-small, FBS, half the channels per input",
             "vgg_small",
             "fbs",
             {{"density", 0.5}},
             4,
             2},
            // 15 · Quantization: LeNet-5 int8 with each observer, VGG-small (BatchNorm folded), 4 bits
            // without retraining against quantization-aware training.
            {15,
             "quantization-ptq-minmax",
             "LeNet-5, int8 post-training, min-max observer",
             "lenet5",
             "ptq_int8",
             {{"observer", std::string("minmax")}},
             10,
             0},
            {15,
             "quantization-ptq-moving-average",
             "LeNet-5, int8 post-training, moving-average observer",
             "lenet5",
             "ptq_int8",
             {{"observer", std::string("moving_average")}},
             10,
             0},
            {15,
             "quantization-ptq-percentile",
             "LeNet-5, int8 post-training, percentile observer",
             "lenet5",
             "ptq_int8",
             {{"observer", std::string("percentile")}},
             10,
             0},
            {15,
             "quantization-ptq-mse",
             "LeNet-5, int8 post-training, MSE observer",
             "lenet5",
             "ptq_int8",
             {{"observer", std::string("mse")}},
             10,
             0},
            {15,
             "quantization-ptq-vgg-small",
             "VGG-small, int8 post-training, BatchNorm folded, MSE observer",
             "vgg_small",
             "ptq_int8",
             {{"observer", std::string("mse")}},
             10,
             0},
            {15,
             "quantization-ptq-4bit",
             "LeNet-5, 4-bit weights post-training (the gap QAT closes)",
             "lenet5",
             "ptq_int8",
             {{"bits", int64_t(4)}},
             10,
             0},
            {15,
             "quantization-qat-4bit",
             "LeNet-5, 4-bit quantization-aware training, 3 epochs",
             "lenet5",
             "qat",
             {{"bits", int64_t(4)}},
             10,
             3},
        };
        std::vector<ExperimentPreset> built;
        for (const auto& spec : specs)
            built.push_back(makePreset(spec));
        return built;
    }();
    return presets;
}

std::string describePaperResult(const PaperResult& paper)
{
    std::string text = paper.citation + " (" + paper.setting + "): test accuracy " + percentText(paper.denseAccuracy, 2)
        + " → " + percentText(paper.prunedAccuracy, 2);
    if (paper.parametersRemoved >= 0)
        text += ", parameters −" + percentText(paper.parametersRemoved, 1);
    if (paper.macsRemoved >= 0)
        text += ", MACs −" + percentText(paper.macsRemoved, 1);
    return text;
}

std::string describeBudget(const ExperimentPreset& preset)
{
    const ExperimentConfig& config = preset.config;
    std::string epochs = epochsText(config.denseTraining.epochs, "dense");
    if (config.fineTuning.epochs > 0)
        epochs += ", " + epochsText(config.fineTuning.epochs, "fine-tuning");
    if (!preset.paper)
        return epochs;
    return "Laptop budget: " + epochs + "; the paper: " + preset.paper->fullRecipe;
}

std::string presetCard(const ExperimentPreset& preset)
{
    std::string card = preset.summary + "\nModel " + preset.config.model + ", method " + preset.config.method;
    if (const KnownDataset* dataset = findKnownDataset(preset.config.dataset.name); dataset && preset.paper)
        card += ", data " + dataset->title + " (" + preset.config.dataset.directory + ")";
    if (preset.paper) {
        card += "\nPaper: " + describePaperResult(*preset.paper);
        if (!preset.paper->checkedAt.empty())
            card += " [also in: " + preset.paper->checkedAt + "]";
    }
    return card + "\n" + describeBudget(preset);
}

const ExperimentPreset* findPreset(const std::string& id)
{
    for (const auto& preset : experimentPresets())
        if (preset.id == id)
            return &preset;
    return nullptr;
}

std::vector<const ExperimentPreset*> presetsOfWeek(int week)
{
    std::vector<const ExperimentPreset*> found;
    for (const auto& preset : experimentPresets())
        if (preset.week == week)
            found.push_back(&preset);
    return found;
}

}  // namespace prunescope
