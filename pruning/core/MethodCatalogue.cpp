// The registry's metadata: taxonomy tags, cards and parameter schemas. The algorithms live in
// the per-method files; this file stays free of LibTorch so pickers and the CLI list it cheaply.
#include "core/MethodInfo.h"
#include "core/MethodTradeOffs.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

namespace prunescope {
namespace {

ParamSpec sparsityParam()
{
    return {"sparsity", ParamType::Double,
            0.9,        0.0,
            0.999,      "Fraction of the prunable weights set to zero (0.9 = 90 %, compression about 10×)."};
}

ParamSpec layerSparsityParam()
{
    return {"layer_sparsity",
            ParamType::String,
            std::string(),
            0,
            0,
            "Per-layer targets overriding 'sparsity', e.g. \"conv1=0.5, fc1=0.95\" (empty: the same for all)."};
}

ParamSpec includeClassifierParam()
{
    return {"include_classifier",
            ParamType::Bool,
            false,
            0,
            0,
            "Also prune the last (classifier) layer. Off by default, as in ShrinkBench: pruning it "
            "can silence whole classes."};
}

std::vector<MethodInfo> buildCatalogue()
{
    std::vector<MethodInfo> methods;
    methods.push_back({"global_magnitude",
                       {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
                       {"Global magnitude pruning", "Han, Pool, Tran, Dally", "NeurIPS", 2015,
                        "Train the dense network, then zero the weights with the smallest |w| across all "
                        "prunable layers at once (one global threshold), and fine-tune with the mask fixed. "
                        "Layers whose weights are small overall lose more; Blalock et al. (2020) find it beats "
                        "layer-wise pruning at equal parameter count."},
                       {sparsityParam(), includeClassifierParam()}});
    methods.push_back({"layerwise_magnitude",
                       {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
                       {"Layer-wise magnitude pruning", "Han, Pool, Tran, Dally", "NeurIPS", 2015,
                        "Train, then zero the same fraction of smallest-|w| weights in every prunable layer "
                        "(one threshold per layer), and fine-tune with the mask fixed. Uniform per-layer "
                        "sparsity protects small layers but over-prunes none and under-prunes the big ones."},
                       {sparsityParam(), layerSparsityParam(), includeClassifierParam()}});
    methods.push_back({"random",
                       {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Random},
                       {"Random pruning (baseline)", "Blalock, Gonzalez Ortiz, Frankle, Guttag", "MLSys", 2020,
                        "Zero a uniformly random subset of each prunable layer's weights at the given sparsity "
                        "(the same per-layer density as layer-wise pruning), then fine-tune. The baseline every "
                        "pruning criterion has to beat."},
                       {sparsityParam(), layerSparsityParam(), includeClassifierParam()}});

    // Semi-structured.
    methods.push_back(
        {"nm_sparsity",
         {Speedup::SemiStructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
         {"N:M semi-structured pruning", "Mishra et al. (NVIDIA ASP); Zhou et al.", "arXiv / ICLR", 2021,
          "In every group of M consecutive weights along a layer's input dimension (conv: input "
          "channels × kernel, flattened), keep the N of largest |w| and zero the rest, then fine-tune. "
          "2:4 gives 50 % sparsity in a pattern sparse tensor cores can execute; 1:4 and 4:8 trade "
          "accuracy for density. A layer whose input size is not a multiple of M is left dense."},
         {{"n", ParamType::Int, int64_t(2), 1, 16, "Weights kept per group (N)."},
          {"m", ParamType::Int, int64_t(4), 2, 32, "Group size (M); N must be smaller."},
          {"skip_incompatible", ParamType::Bool, true, 0, 0,
           "Leave layers whose input size is not a multiple of M dense (logged). Off: such a layer is an error."},
          includeClassifierParam()}});

    methods.push_back(
        {"kernel_pattern",
         {Speedup::SemiStructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
         {"Kernel-pattern pruning (PatDNN)", "Niu, Ma, Zhao, et al.", "ASPLOS", 2020,
          "Every 3×3 convolution kernel keeps four entries: the centre and three neighbours, in the "
          "one of eight fixed patterns that carries the largest Σ|w| (56 % sparsity in the kernels). "
          "A compiler can then generate one dense code path per pattern. Layers that are not 3×3 "
          "convolutions stay dense; then fine-tune."},
         {{"include_classifier", ParamType::Bool, false, 0, 0, "Unused (the classifier is not a 3×3 convolution)."}}});

    // Pruning before training (the batch parameter is shared with Taylor below).
    const ParamSpec batchParam{"batch_size", ParamType::Int,
                               int64_t(256), 1,
                               8192,         "Training images in the scoring batch (seeded random sample)."};
    methods.push_back({"snip",
                       {Speedup::Unstructured, WhenToPrune::BeforeTraining, PruningCriterion::Saliency},
                       {"SNIP: single-shot network pruning", "Lee, Ajanthan, Torr", "ICLR", 2019,
                        "At initialisation, one batch: the connection sensitivity |∂L/∂w ⊙ w| of every weight "
                        "(the gradient with respect to a multiplicative mask). Keep the global top-k, then train the "
                        "sparse network from its initialisation. Cheap, data-dependent; at extreme sparsity it can "
                        "disconnect whole layers."},
                       {sparsityParam(), batchParam, includeClassifierParam()}});
    methods.push_back({"grasp",
                       {Speedup::Unstructured, WhenToPrune::BeforeTraining, PruningCriterion::LossChange},
                       {"GraSP: gradient signal preservation", "Wang, Zhang, Grosse", "ICLR", 2020,
                        "At initialisation: score S = −w ⊙ (H g), with H g a Hessian-gradient product on a batch. "
                        "Removing the weights with the highest scores keeps the gradient norm (the flow of "
                        "training signal) largest. Then train the sparse network from its initialisation."},
                       {sparsityParam(),
                        batchParam,
                        {"temperature", ParamType::Double, 200.0, 1.0, 1000.0,
                         "Logits are divided by this before the loss (reference implementation: 200)."},
                        includeClassifierParam()}});
    methods.push_back({"synflow",
                       {Speedup::Unstructured, WhenToPrune::BeforeTraining, PruningCriterion::Saliency},
                       {"SynFlow: iterative synaptic flow pruning", "Tanaka, Kunin, Yamins, Ganguli", "NeurIPS", 2020,
                        "Data-free: replace every weight by |w|, feed an all-ones input, R = Σ output; score "
                        "|∂R/∂w ⊙ w| (the synaptic flow through each weight). Prune in n rounds on an exponential "
                        "schedule, rescoring each time, which avoids layer collapse at extreme sparsity. Then train "
                        "the sparse network from its initialisation."},
                       {sparsityParam(),
                        {"rounds", ParamType::Int, int64_t(100), 1, 1000, "Scoring rounds (the paper uses 100)."},
                        includeClassifierParam()}});

    // After training, from data.
    methods.push_back({"taylor",
                       {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::LossChange},
                       {"Taylor first-order importance", "Molchanov, Mallya, Tyree, Frosio, Kautz", "CVPR", 2019,
                        "After training: the first-order Taylor estimate of the loss change when a weight is "
                        "removed, (∂L/∂w · w)², averaged over a few batches; prune the lowest globally, then "
                        "fine-tune. Unlike |w| it accounts for how much the loss depends on each weight."},
                       {sparsityParam(),
                        {"batches", ParamType::Int, int64_t(10), 1, 1000, "Batches averaged."},
                        batchParam,
                        includeClassifierParam()}});
    const ParamSpec calibrationParam{"calibration_samples",
                                     ParamType::Int,
                                     int64_t(256),
                                     8,
                                     8192,
                                     "Training images whose activations calibrate the method."};
    methods.push_back({"wanda",
                       {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
                       {"Wanda: pruning by weights and activations", "Sun, Liu, Bair, Kolter", "ICLR", 2024,
                        "Post-training, no retraining: score |W_ij|·‖X_j‖₂, the weight times the norm of its input "
                        "feature on calibration data, and drop the lowest in each output row. Features with large "
                        "activations protect their weights, which magnitude alone ignores."},
                       {sparsityParam(), calibrationParam, includeClassifierParam()}});
    methods.push_back(
        {"layerwise_reconstruction",
         {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::LossChange},
         {"Layer-wise reconstruction (OBS / SparseGPT-style)", "Frantar, Alistarh (after Hassibi & Stork)", "ICML",
          2023,
          "Post-training, no retraining: choose each layer's mask (Wanda's score), then re-solve every "
          "output row's kept weights so the layer's outputs on calibration data stay as close as "
          "possible to the dense ones: min ‖WX − ŴX‖² with H = XᵀX + λI. Inputs are those of the dense network."},
         {sparsityParam(),
          calibrationParam,
          {"damping", ParamType::Double, 0.01, 0.0, 1.0, "λ as a fraction of the mean diagonal of XᵀX."},
          includeClassifierParam()}});

    // Iterative, after training.
    methods.push_back(
        {"lottery_ticket",
         {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
         {"Lottery ticket (iterative magnitude pruning with reset)", "Frankle, Carbin", "ICLR", 2019,
          "Train; prune the rate of the remaining weights with the smallest |w| (a separate rate for "
          "the output layer); reset the survivors to their initial values θ0 — or rewind them to θk, "
          "their values after k epochs (Frankle et al., ICML 2020) — and train again; repeat. Each "
          "round is one point on the accuracy/sparsity curve. The control trains the same masks from "
          "a fresh random initialisation."},
         {{"rounds", ParamType::Int, int64_t(3), 1, 30, "Prune-reset-train rounds."},
          {"rate", ParamType::Double, 0.2, 0.01, 0.95,
           "Fraction of the remaining weights pruned each round (hidden layers)."},
          {"output_rate", ParamType::Double, 0.1, 0.0, 0.95,
           "Fraction of the output layer's remaining weights pruned each round."},
          {"reset",
           ParamType::String,
           std::string("init"),
           0,
           0,
           "init: back to θ0 (Frankle & Carbin); rewind: back to θk after rewind_epoch epochs.",
           {"init", "rewind"}},
          {"rewind_epoch", ParamType::Int, int64_t(1), 0, 1000, "k for reset = rewind."},
          {"control", ParamType::Bool, true, 0, 0,
           "Also train each round's mask from a fresh random initialisation (the random re-init control)."}}});
    methods.push_back(
        {"iterative_magnitude",
         {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
         {"Iterative magnitude pruning (prune, fine-tune, repeat)", "Han, Pool, Tran, Dally", "NeurIPS", 2015,
          "Train; then repeat: prune the rate of the remaining weights with the smallest |w| globally, "
          "fine-tune with the mask fixed. Gradual steps lose less accuracy than one large cut. Each "
          "round is one point on the accuracy/sparsity curve."},
         {{"rounds", ParamType::Int, int64_t(3), 1, 30, "Prune-fine-tune rounds."},
          {"rate", ParamType::Double, 0.5, 0.01, 0.95, "Fraction of the remaining weights pruned each round."},
          includeClassifierParam()}});

    // During training: the mask moves while the network learns.
    const auto scheduleParams = [](double start, double end) {
        return std::vector<ParamSpec>{
            {"initial_sparsity", ParamType::Double, 0.0, 0.0, 0.999, "Sparsity of the first pruning step (s_i)."},
            {"start", ParamType::Double, start, 0.0, 0.99,
             "When pruning starts, as a fraction of the training phase (t₀)."},
            {"end", ParamType::Double, end, 0.01, 1.0,
             "When the final sparsity is reached, as a fraction of the training phase (t₀ + nΔt)."},
            {"frequency", ParamType::Int, int64_t(50), 1, 100000, "Optimizer steps between mask updates (Δt)."},
            {"scope",
             ParamType::String,
             std::string("layerwise"),
             0,
             0,
             "layerwise: every layer at the scheduled sparsity; global: one ranking over all layers.",
             {"layerwise", "global"}}};
    };
    const auto withCommon = [](std::vector<ParamSpec> params) {
        params.insert(params.begin(), sparsityParam());
        params.push_back(includeClassifierParam());
        return params;
    };
    methods.push_back(
        {"gmp",
         {Speedup::Unstructured, WhenToPrune::DuringTraining, PruningCriterion::Magnitude},
         {"Gradual magnitude pruning (AGP)", "Zhu, Gupta", "ICLR workshop", 2018,
          "Train from the initialisation and prune while training: every Δt steps between t₀ and t₀ + nΔt, "
          "zero the smallest-|w| weights up to s_t = s_f + (s_i − s_f)(1 − (t − t₀)/(nΔt))³. Pruning is fast "
          "early, when the network is redundant, and slow near the end; the last part of training "
          "recovers with the final mask fixed. Then the usual fine-tuning (0 epochs for none)."},
         withCommon(scheduleParams(0.1, 0.7))});
    const auto dstParams = [](std::vector<ParamSpec> extra) {
        std::vector<ParamSpec> params{sparsityParam(),
                                      {"distribution",
                                       ParamType::String,
                                       std::string("erk"),
                                       0,
                                       0,
                                       "Per-layer densities: erk (Erdős–Rényi-kernel: small layers denser) or uniform.",
                                       {"erk", "uniform"}}};
        params.insert(params.end(), extra.begin(), extra.end());
        params.push_back(includeClassifierParam());
        return params;
    };
    methods.push_back(
        {"set",
         {Speedup::Unstructured, WhenToPrune::DuringTraining, PruningCriterion::Magnitude},
         {"Sparse Evolutionary Training (SET)", "Mocanu, Mocanu, Stone, Nguyen, Gibescu, Liotta",
          "Nature Communications", 2018,
          "Start from a random sparse network at the target sparsity and keep it there: after every epoch, "
          "drop the fraction ζ of each layer's active weights with the smallest |w| and regrow as many "
          "connections at random positions, starting at zero. The dense network is never trained."},
         dstParams({{"zeta", ParamType::Double, 0.3, 0.0, 0.99,
                     "Fraction of each layer's active weights replaced every epoch (ζ)."}})});
    methods.push_back(
        {"rigl",
         {Speedup::Unstructured, WhenToPrune::DuringTraining, PruningCriterion::Magnitude, LearnToPrune::Saliency},
         {"RigL: rigging the lottery", "Evci, Gale, Menick, Castro, Elsen", "ICML", 2020,
          "Sparse from the first step, as SET, but regrow where the dense gradient is largest: every ΔT "
          "steps until the end fraction of training, drop the fraction α/2·(1 + cos(πt/T_end)) of each "
          "layer's active weights by magnitude and grow as many by |∇L|, new weights at zero. ERK layer "
          "densities by default."},
         dstParams(
             {{"drop_fraction", ParamType::Double, 0.3, 0.0, 0.99, "Initial update fraction α (cosine-decayed)."},
              {"update_interval", ParamType::Int, int64_t(100), 1, 100000, "Optimizer steps between updates (ΔT)."},
              {"end", ParamType::Double, 0.75, 0.01, 1.0, "Fraction of training after which the mask stays fixed."}})});
    methods.push_back(
        {"movement",
         {Speedup::Unstructured, WhenToPrune::DuringTraining, PruningCriterion::Learned,
          LearnToPrune::StraightThroughEstimator},
         {"Movement pruning (learned mask scores)", "Sanh, Wolf, Rush", "NeurIPS", 2020,
          "Learn a score S per weight alongside the weights: the forward pass uses W ⊙ TopK(S), and the "
          "straight-through estimator hands S the gradient as if TopK were the identity, so S accumulates "
          "−Σ lr·g·W: weights moving away from zero gain, those shrinking lose. The kept fraction follows "
          "the cubic schedule of gradual pruning."},
         withCommon(scheduleParams(0.1, 0.7))});

    // Structured: whole channels removed for real (a smaller dense network, faster everywhere).
    const auto channelParams = [](std::vector<ParamSpec> extra) {
        std::vector<ParamSpec> params{
            {"channel_ratio", ParamType::Double, 0.5, 0.0, 0.95,
             "Fraction of each channel group's channels removed (0.5 = half the filters; MACs fall about 4×)."},
            {"layer_ratio", ParamType::String, std::string(), 0, 0,
             "Per-group ratios overriding channel_ratio, e.g. \"conv1=0.25, conv2=0.6\" (layer-wise scope only)."},
            {"scope",
             ParamType::String,
             std::string("layerwise"),
             0,
             0,
             "layerwise: the same ratio in every group (Li et al.); global: one ranking over all groups, "
             "each group's scores divided by their mean.",
             {"layerwise", "global"}},
            {"target_macs", ParamType::Double, 0.0, 0.0, 0.99,
             "Keep at most this fraction of the dense MACs instead of giving a ratio (0: use channel_ratio)."},
            {"prune_residual", ParamType::Bool, true, 0, 0,
             "Also prune channels tied by residual additions (ResNet), all layers of the tie together."}};
        params.insert(params.end(), extra.begin(), extra.end());
        return params;
    };
    const char* removal
        = " Channels are removed for real, along their dependency group (the BatchNorm after a conv, the "
          "next layer's input channels, and all layers tied by a residual addition), and the thinner "
          "network is fine-tuned.";
    methods.push_back(
        {"l1_filter",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::LpNorm},
         {"L1-norm filter pruning", "Li, Kadav, Durdanovic, Samet, Graf", "ICLR", 2017,
          std::string("Train, then remove the filters (output channels) with the smallest L1 norm ‖W_f‖₁ in "
                      "each layer; small filters produce weak feature maps.")
              + removal},
         channelParams({})});
    methods.push_back({"l2_filter",
                       {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::LpNorm},
                       {"L2-norm filter pruning", "Li, Kadav, Durdanovic, Samet, Graf", "ICLR", 2017,
                        std::string("As L1-norm filter pruning with the L2 norm ‖W_f‖₂, which weighs a filter's large "
                                    "entries more.")
                            + removal},
                       channelParams({})});
    methods.push_back(
        {"fpgm",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::LpNorm},
         {"FPGM: filter pruning via the geometric median", "He, Liu, Wang, Hu, Yang", "CVPR", 2019,
          std::string("Remove the filters closest to the layer's geometric median (smallest total distance "
                      "to the other filters): they are the most replaceable by the rest, even when their "
                      "norms are large.")
              + removal},
         channelParams({})});
    methods.push_back(
        {"taylor_channel",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::LossChange},
         {"Taylor channel importance", "Molchanov, Mallya, Tyree, Frosio, Kautz", "CVPR", 2019,
          std::string("A channel's importance is the squared first-order Taylor estimate of the loss change "
                      "when it is removed, (Σ g·w)² over its filter, bias and BatchNorm γ, β, averaged over "
                      "batches. Data-aware, one backward pass per batch.")
              + removal},
         channelParams({{"batches", ParamType::Int, int64_t(10), 1, 1000, "Batches averaged."},
                        {"batch_size", ParamType::Int, int64_t(128), 1, 8192, "Samples per batch."}})});
    methods.push_back(
        {"bn_scale",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude},
         {"BatchNorm-scale channel pruning (Network Slimming's rule)", "Liu, Li, Shen, Huang, Yan, Zhang", "ICCV", 2017,
          std::string("Remove the channels whose BatchNorm scale |γ| is smallest: γ multiplies the whole "
                      "channel, so a small γ silences it. Network Slimming trains with an L1 penalty on γ "
                      "first (during-training family); this applies the selection to a normally trained "
                      "network. Needs BatchNorm (vgg_small, resnet20).")
              + removal},
         channelParams({})});
    methods.push_back(
        {"hrank",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::Saliency},
         {"HRank: high-rank feature maps", "Lin, Ji, Wang, Zhang, Zhang, Tian, Shao", "CVPR", 2020,
          std::string("Run a few batches and keep the channels whose feature maps (as the next layer sees "
                      "them) have the highest average matrix rank: low-rank maps carry less information. "
                      "Groups without spatial maps (linear → linear) are left whole.")
              + removal},
         channelParams({{"samples", ParamType::Int, int64_t(256), 8, 8192, "Images whose feature maps are ranked."}})});
    methods.push_back(
        {"random_channel",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::Random},
         {"Random channel pruning (baseline)", "Blalock et al.; Liu et al. (Rethinking)", "MLSys / ICLR", 2020,
          std::string("Remove a seeded random subset of each group's channels. The baseline every channel "
                      "criterion has to beat; Liu et al. (ICLR 2019) find it often close after fine-tuning.")
              + removal},
         channelParams({})});

    // Structured, during training: a penalty or a soft schedule prepares channels for removal.
    const auto ratioParam = [](double value) {
        return ParamSpec{"channel_ratio",
                         ParamType::Double,
                         value,
                         0.0,
                         0.95,
                         "Fraction of the channels removed after training (0.5 = half; MACs fall about 4×)."};
    };
    const char* thenRemoved = " The chosen channels are then removed for real along their dependency groups and "
                              "the thinner network is fine-tuned.";
    methods.push_back(
        {"slimming",
         {Speedup::Structured, WhenToPrune::DuringTraining, PruningCriterion::Magnitude,
          LearnToPrune::SparsityRegularisation},
         {"Network Slimming", "Liu, Li, Shen, Huang, Yan, Zhang", "ICCV", 2017,
          std::string("Train from the initialisation with an L1 penalty λ·Σ|γ| on every BatchNorm scale, which "
                      "drives the scales of unneeded channels towards zero; then remove the channels under one "
                      "global percentile of |γ|. The γ distribution per epoch (p10, p50, p90) shows the "
                      "penalty at work. Needs BatchNorm (vgg_small, resnet20).")
              + thenRemoved},
         {ratioParam(0.5),
          {"lambda", ParamType::Double, 1e-4, 0.0, 0.1, "Strength λ of the L1 penalty on the BatchNorm scales."}}});
    methods.push_back(
        {"ssl",
         {Speedup::Structured, WhenToPrune::DuringTraining, PruningCriterion::LpNorm,
          LearnToPrune::SparsityRegularisation},
         {"Structured sparsity learning (group lasso)", "Wen, Wu, Wang, Chen, Li", "NeurIPS", 2016,
          std::string("Train with a group-lasso penalty λ·Σ‖W_c‖₂ over each output channel's filters (all the "
                      "filters tied to the channel in residual groups), which pushes whole filters to zero "
                      "together; then remove each group's smallest-norm channels. The filter-norm distribution "
                      "per epoch shows the effect.")
              + thenRemoved},
         {ratioParam(0.5), {"lambda", ParamType::Double, 5e-4, 0.0, 0.1, "Strength λ of the group-lasso penalty."}}});
    methods.push_back(
        {"sfp",
         {Speedup::Structured, WhenToPrune::DuringTraining, PruningCriterion::LpNorm},
         {"Soft filter pruning (SFP)", "He, Kang, Dong, Fu, Yang", "IJCAI", 2018,
          std::string("Train from the initialisation; after every epoch zero the filters of each group's "
                      "smallest-L2 channels but keep training them, so a wrongly zeroed filter can grow back. "
                      "The channels zeroed after the last epoch are removed. The curve is the fraction of "
                      "channels whose choice changed since the previous epoch.")
              + thenRemoved},
         {ratioParam(0.3)}});
    methods.push_back(
        // After training, as the survey and the study plan place "pruning in early training": the
        // dense training is cut short where the ticket emerges, then pruned once and retrained.
        {"early_bird",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude,
          LearnToPrune::SparsityRegularisationEarlyStop},
         {"Early-Bird tickets", "You, Li, Xu, Fu, Wang, Chen, Baraniuk, Wang, Lin", "ICLR", 2020,
          std::string("Train with Network Slimming's penalty and after every epoch take the channel mask its "
                      "selection would give. When the Hamming distance between successive masks stays below ε "
                      "for `window` epochs, the ticket has emerged: stop training early, prune with that mask, "
                      "and retrain the thin network (fine-tuning). The distance curve is shown per epoch.")
              + thenRemoved},
         {ratioParam(0.5),
          {"lambda", ParamType::Double, 1e-4, 0.0, 0.1, "Strength λ of the L1 penalty on the BatchNorm scales."},
          {"epsilon", ParamType::Double, 0.1, 0.0, 1.0, "Mask distance under which the mask counts as settled (ε)."},
          {"window", ParamType::Int, int64_t(3), 1, 50, "Successive distances that must all stay under ε."}}});
    methods.push_back(
        {"greg",
         {Speedup::Structured, WhenToPrune::AfterTraining, PruningCriterion::LpNorm,
          LearnToPrune::SparsityRegularisation},
         {"GReg: growing regularisation", "Wang, Qin, Zhang, Fu", "ICLR", 2021,
          std::string("Start from the trained network, choose the channels to remove by L1 filter norm, then "
                      "train with a penalty λ/2·‖W‖² on those filters only, λ growing by a step every few "
                      "iterations up to a maximum, so their weights fade out while the rest of the network "
                      "takes over; then remove them. The curves are λ and the ratio of the chosen filters' "
                      "norm to the kept ones'.")
              + thenRemoved},
         {ratioParam(0.5),
          {"reg_epochs", ParamType::Int, int64_t(2), 1, 100, "Epochs of regularised training (fine-tuning recipe)."},
          {"lambda_step", ParamType::Double, 0.01, 1e-6, 1.0, "Growth of λ per update."},
          {"update_interval", ParamType::Int, int64_t(5), 1, 100000, "Optimizer steps between λ updates."},
          {"lambda_max", ParamType::Double, 1.0, 1e-6, 100.0, "Largest λ."}}});

    // Run-time: the network is whole; each input chooses what it computes.
    methods.push_back(
        {"fbs",
         {Speedup::Structured, WhenToPrune::RunTime, PruningCriterion::Saliency, LearnToPrune::SaliencyPredictor},
         {"Feature Boosting and Suppression (FBS)", "Gao, Zhao, Dudziak, Mullins, Xu", "ICLR", 2019,
          "Start from the trained network and give every gateable conv layer a small saliency predictor "
          "s = ReLU(W · mean-over-space(input) + b). Per input, the k = ⌈density · C⌉ most salient channels "
          "are kept and scaled by their saliency (boosting); the others are neither computed nor read by the "
          "next layer (suppression). Predictors and network train together for one density with the "
          "fine-tuning recipe and a penalty λ × mean saliency. The run reports accuracy and the MACs each test "
          "input really executed (mean and spread) at several densities; other densities than the trained one "
          "lose accuracy (the paper trains one network per density). The stored checkpoint is the backbone."},
         {{"density", ParamType::Double, 0.5, 0.05, 1.0, "Fraction of each gated layer's channels kept per input."},
          {"lambda", ParamType::Double, 1e-3, 0.0, 1.0, "Strength λ of the L1 penalty on the saliencies."},
          {"eval_densities", ParamType::String, std::string("0.25, 0.5, 0.75, 1"), 0, 0,
           "Densities at which accuracy and executed MACs are reported after training."}}});

    // Fusion with quantization: any trained network, its weights and activations on integer grids.
    const auto quantizationParams = [](int64_t bits, const char* bitsHelp) {
        return std::vector<ParamSpec>{
            {"bits", ParamType::Int, bits, 2, 8, bitsHelp},
            {"granularity",
             ParamType::String,
             std::string("per_channel"),
             0,
             0,
             "per_channel: one scale per output channel (filter or row); per_tensor: one per layer.",
             {"per_channel", "per_tensor"}},
            {"scheme",
             ParamType::String,
             std::string("symmetric"),
             0,
             0,
             "symmetric: grid centred on 0 (zero point 0); affine: grid spans [min, max] with a zero point.",
             {"symmetric", "affine"}},
        };
    };
    {
        std::vector<ParamSpec> params = quantizationParams(8, "Bits per weight (8 = int8; 4 and 2 for the study).");
        params.push_back({"observer",
                          ParamType::String,
                          std::string("mse"),
                          0,
                          0,
                          "How each grid's range is chosen, for weights and activations: minmax (the extremes), "
                          "moving_average (of each batch's extremes), percentile (clips the rarest values), mse "
                          "(the clipping with the least squared error).",
                          {"minmax", "moving_average", "percentile", "mse"}});
        params.push_back({"percentile", ParamType::Double, 99.99, 90.0, 100.0,
                          "percentile observer: share of the values (%) the range keeps."});
        params.push_back({"calibration_batches", ParamType::Int, int64_t(8), 1, 1000,
                          "Training batches whose activations set the activation ranges."});
        params.push_back(
            {"calibration_batch_size", ParamType::Int, int64_t(128), 1, 4096, "Images per calibration batch."});
        params.push_back({"real_int8", ParamType::Bool, true, 0, 0,
                          "Also run the network on LibTorch's int8 operators (symmetric weights only): its "
                          "accuracy beside the simulated one and, when latency is measured, its latency."});
        methods.push_back(
            {"ptq_int8",
             {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude, LearnToPrune::None,
              Fusion::Quantization, Approach::PostTraining},
             {"Post-training quantization (int8)", "Jacob et al.; Krishnamoorthi", "CVPR / arXiv", 2018,
              "Fold every BatchNorm into the layer before it, run a few training batches to let the observers "
              "choose each activation's range, and round every weight to a grid of 2^bits levels (one scale per "
              "channel or per tensor, symmetric or affine). Weights and activations are then simulated exactly "
              "as integers (fake-quantize); no retraining. With symmetric weights the same network also runs on "
              "LibTorch's int8 operators (quantized conv2d and linear), whose accuracy is reported beside the "
              "simulated one. The stored size is bits × weights plus the scales.",
              "No retraining: minutes on a trained network; int8 usually loses well under a point.",
              "At 4 bits and below the rounding error grows and accuracy drops without retraining."},
             params});
    }
    {
        std::vector<ParamSpec> params = quantizationParams(4, "Bits per weight during and after training (8, 4 or 2).");
        params.push_back({"observer",
                          ParamType::String,
                          std::string("moving_average"),
                          0,
                          0,
                          "How the activation ranges follow training until the freeze: moving_average or minmax.",
                          {"moving_average", "minmax"}});
        params.push_back({"freeze_epoch", ParamType::Int, int64_t(2), 0, 1000,
                          "Epochs after which the weight grids and activation observers stop moving (0: frozen "
                          "from the start, at the calibrated ranges)."});
        params.push_back({"calibration_batches", ParamType::Int, int64_t(8), 1, 1000,
                          "Training batches that set the activation ranges training starts from."});
        methods.push_back(
            {"qat",
             {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude,
              LearnToPrune::StraightThroughEstimator, Fusion::Quantization, Approach::None},
             {"Quantization-aware training", "Jacob et al.; Bengio et al. (STE)", "CVPR", 2018,
              "Fold BatchNorm, calibrate the activation ranges, then fine-tune (fine-tuning recipe) with every "
              "forward pass on quantized weights and activations. The optimizer updates full-precision weights; "
              "the gradient reaches them through the rounding as if it were the identity (straight-through "
              "estimator) and is zero where the grid clips. After freeze_epoch the grids stop moving.",
              "Recovers most of what post-training quantization loses at 4 bits and below.",
              "Costs a fine-tuning run; 2-bit (ternary) weights still lose accuracy on small networks."},
             params});
    }
    // Fusion: pruning, then weight sharing and entropy coding.
    methods.push_back(
        {"deep_compression",
         {Speedup::Unstructured, WhenToPrune::AfterTraining, PruningCriterion::Magnitude, LearnToPrune::None,
          Fusion::WeightSharing},
         {"Deep Compression: pruning, weight sharing, Huffman coding", "Han, Mao, Dally", "ICLR", 2016,
          "Train; prune the smallest |w| of each layer and fine-tune with the mask fixed; then cluster each "
          "layer's kept weights with k-means into 2^bits shared values (8 bits for conv, 5 for fc), each weight "
          "keeping only its cluster's index; fine-tune the centroids, each moving by the sum of its cluster's "
          "gradients, pruned weights staying zero; finally Huffman-code the cluster indices and the sparse "
          "relative indices (filler zeros bridge gaps wider than the index) into a file. The run's size is that "
          "file's, which is written, read back and checked to decode to exactly the evaluated weights."},
         {sparsityParam(),
          layerSparsityParam(),
          {"include_classifier", ParamType::Bool, true, 0, 0,
           "Also prune the classifier (the paper prunes every layer; it is shared either way)."},
          {"conv_bits", ParamType::Int, int64_t(8), 1, 16, "Bits per shared conv weight: 2^bits centroids."},
          {"fc_bits", ParamType::Int, int64_t(5), 1, 16, "Bits per shared fully connected weight."},
          {"conv_index_bits", ParamType::Int, int64_t(8), 1, 16,
           "Bits of a conv layer's relative index; wider gaps take filler zeros."},
          {"fc_index_bits", ParamType::Int, int64_t(5), 1, 16, "Bits of a fully connected layer's relative index."},
          {"init",
           ParamType::String,
           std::string("linear"),
           0,
           0,
           "Centroid initialisation: linear (even between min and max, the paper's best), density (even "
           "quantiles), random (distinct weights drawn, seeded).",
           {"linear", "density", "random"}},
          {"kmeans_iterations", ParamType::Int, int64_t(50), 0, 1000, "Lloyd iterations at most."},
          {"centroid_epochs", ParamType::Int, int64_t(1), 0, 100,
           "Epochs of centroid fine-tuning (fine-tuning recipe; 0 = keep the k-means centroids)."}}});

    addTradeOffsAndFamilies(methods);
    return methods;
}

std::string rangeText(const ParamSpec& spec)
{
    std::ostringstream out;
    out << "[" << spec.minimum << ", " << spec.maximum << "]";
    return out.str();
}

}  // namespace

const std::vector<MethodInfo>& methodCatalogue()
{
    static const std::vector<MethodInfo> catalogue = buildCatalogue();
    return catalogue;
}

const MethodInfo& methodInfo(const std::string& id)
{
    for (const auto& method : methodCatalogue()) {
        if (method.id == id)
            return method;
    }
    std::string known;
    for (const auto& method : methodCatalogue())
        known += (known.empty() ? "" : ", ") + method.id;
    throw std::invalid_argument("unknown pruning method '" + id + "' (known: " + known + ")");
}

ParamMap resolveParams(const MethodInfo& method, const ParamMap& given)
{
    for (const auto& [key, value] : given) {
        bool known = false;
        for (const auto& spec : method.params)
            known = known || spec.name == key;
        if (!known)
            throw std::invalid_argument("method '" + method.id + "' has no parameter '" + key + "'");
    }
    ParamMap resolved;
    for (const auto& spec : method.params) {
        auto it = given.find(spec.name);
        ParamValue value = it == given.end() ? spec.defaultValue : it->second;
        const std::string where = "parameter '" + spec.name + "' of method '" + method.id + "'";
        switch (spec.type) {
        case ParamType::Bool:
            if (!std::holds_alternative<bool>(value))
                throw std::invalid_argument(where + ": expected true or false, got " + paramToString(value));
            break;
        case ParamType::String: {
            if (!std::holds_alternative<std::string>(value))
                throw std::invalid_argument(where + ": expected text, got " + paramToString(value));
            const auto& text = std::get<std::string>(value);
            if (!spec.choices.empty()
                && std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
                std::string allowed;
                for (const auto& choice : spec.choices)
                    allowed += (allowed.empty() ? "" : ", ") + choice;
                throw std::invalid_argument(where + ": '" + text + "' is not one of " + allowed);
            }
            break;
        }
        case ParamType::Int:
        case ParamType::Double: {
            double number = 0;
            if (auto* i = std::get_if<int64_t>(&value))
                number = double(*i);
            else if (auto* d = std::get_if<double>(&value))
                number = *d;
            else
                throw std::invalid_argument(where + ": expected a number, got " + paramToString(value));
            if (spec.type == ParamType::Int && std::floor(number) != number)
                throw std::invalid_argument(where + ": expected a whole number, got " + paramToString(value));
            if (!std::isfinite(number) || number < spec.minimum || number > spec.maximum)
                throw std::invalid_argument(where + ": " + paramToString(value) + " is outside " + rangeText(spec));
            value = spec.type == ParamType::Int ? ParamValue(int64_t(number)) : ParamValue(number);
            break;
        }
        }
        resolved[spec.name] = value;
    }
    return resolved;
}

}  // namespace prunescope
