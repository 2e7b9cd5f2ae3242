#include "core/ExperimentPresets.h"

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
    return preset;
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
            {10, "score-based-hrank", "VGG-small, HRank (feature-map rank), half the channels", "vgg_small", "hrank",
             halfTheChannels, 4, 2},
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
        };
        std::vector<ExperimentPreset> built;
        for (const auto& spec : specs)
            built.push_back(makePreset(spec));
        return built;
    }();
    return presets;
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
