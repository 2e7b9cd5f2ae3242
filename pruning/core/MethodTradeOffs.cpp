#include "core/MethodTradeOffs.h"

#include <map>
#include <string>
#include <utility>

namespace prunescope {

void addTradeOffsAndFamilies(std::vector<MethodInfo>& methods)
{
    // What each method is good and bad at, from the papers and the comparisons of Blalock et al.
    // and Liu et al.: the card's last two lines, so a choice is made knowing the trade-off.
    const std::map<std::string, std::pair<std::string, std::string>> tradeOffs = {
        {"global_magnitude",
         {"A strong, cheap default; at or above layer-wise magnitude at every compression (Blalock et al.).",
          "Unstructured: no speedup on dense CPU/GPU kernels; can starve small layers at extreme sparsity."}},
        {"layerwise_magnitude",
         {"Predictable per-layer budgets; never empties a layer.",
          "Same rate everywhere, so sensitive layers lose as much as redundant ones."}},
        {"random", {"The baseline every criterion must beat; costs nothing.", "Collapses early at high compression."}},
        {"nm_sparsity",
         {"2:4 runs faster on sparse tensor cores (Ampere and later) at small accuracy cost.",
          "No speedup on CPUs or older GPUs; fixed 50 % (2:4) or 75 % (1:4) density."}},
        {"kernel_pattern",
         {"Regular 3×3 kernels that compilers can exploit (PatDNN) on mobile CPUs.",
          "Only 3×3 convolutions; needs a pattern-aware kernel library to be faster."}},
        {"snip",
         {"Prunes before any training, from one batch: the cheapest way to a sparse network.",
          "Trails magnitude pruning at high compression; can disconnect layers (layer collapse)."}},
        {"grasp",
         {"Keeps gradient flow at initialisation; good at very high sparsity.",
          "Needs a Hessian-gradient product; noisy on small batches."}},
        {"synflow",
         {"Data-free and avoids layer collapse by construction; strong at 32–64×.",
          "Iterative scoring costs several passes; ignores the data the network will see."}},
        {"taylor",
         {"Scores by the loss change a weight's removal causes, not just its size.",
          "Needs gradients over several batches; noisy with little data."}},
        {"wanda",
         {"No retraining: prunes a trained network in one pass over a few calibration batches.",
          "Weaker than fine-tuned methods at high sparsity; calibration data must match the task."}},
        {"layerwise_reconstruction",
         {"No retraining and closest to the dense outputs at a given sparsity (OBS/SparseGPT).",
          "Solves a least-squares problem per layer: slow for wide layers; needs calibration data."}},
        {"lottery_ticket",
         {"Finds sparse subnetworks that train to dense accuracy from θ0 (or θk).",
          "Costs one full training per round; the ticket is specific to its initialisation."}},
        {"gmp",
         {"Strong and simple: one training run, no dense pre-training; the standard during-training baseline.",
          "Trains dense at first (no savings early); the schedule (t₀, n, Δt) needs tuning."}},
        {"set",
         {"Sparse from the start: memory and compute stay low for the whole run.",
          "Random regrowth explores slowly; trails dense-then-prune at high sparsity."}},
        {"rigl",
         {"Gradient-guided regrowth: among the best sparse-from-scratch methods at 80–95 %.",
          "Each update needs one dense gradient; more hyper-parameters (α, ΔT, end)."}},
        {"movement",
         {"Learns which weights to keep from how they move: strong when fine-tuning from a trained model.",
          "Twice the weight memory (scores); from scratch it starts as random pruning until scores build up."}},
        {"slimming",
         {"Channel selection built into training; one global threshold finds per-layer widths.",
          "Needs BatchNorm; λ must be tuned (too small: no effect, too large: accuracy drops)."}},
        {"ssl",
         {"Works on any layer with filters, BatchNorm or not; zeroes whole filters during training.",
          "The group norms add cost to every step; λ is scale-sensitive across layers."}},
        {"sfp",
         {"Pruned filters can recover, so early mistakes are undone; no penalty to tune.",
          "Same ratio in every layer. With BatchNorm a zeroed filter's next gradients are scaled by γ/√ε, so "
          "zeroed filters return large and at high ratios the choice swings between epochs (watch the mask distance)."}},
        {"early_bird",
         {"Finds the channel mask early and stops: much of the training cost is saved.",
          "Needs BatchNorm; ε and the window decide when to stop, and a noisy start can stop too early."}},
        {"greg",
         {"Removes chosen filters gently: the network adapts while their weights fade.",
          "Extra regularised epochs; the choice of filters is fixed at the start by L1 norm."}},
        {"fbs",
         {"Saves compute per input while keeping the whole network: only the k most salient channels run.",
          "Needs a runtime that skips channels per input; the predictors cost MACs and memory of their own."}},
        {"iterative_magnitude",
         {"Gentler than one shot: the network adapts between rounds.",
          "Several fine-tuning rounds: slower than one-shot pruning."}},
        {"l1_filter",
         {"Removes whole filters: a smaller dense network, faster on every device.",
          "Norm is a weak proxy for importance; coupled layers (residuals) limit what can go."}},
        {"l2_filter", {"As L1 filters, slightly more weight on large entries.", "Same limits as L1 filters."}},
        {"fpgm",
         {"Removes redundant filters (near the geometric median), not just small ones.",
          "Pairwise distances per layer: quadratic in the filter count."}},
        {"taylor_channel",
         {"Ranks channel groups by their effect on the loss.", "Needs gradients over several batches."}},
        {"bn_scale",
         {"Free scores where BatchNorm follows each conv (Network Slimming's rule).",
          "Only for models with BatchNorm; best with the L1 penalty during training (issue 6)."}},
        {"hrank",
         {"Feature-map rank is stable across inputs: a few batches suffice.",
          "Undefined for linear→linear groups; costs an SVD per channel and batch."}},
        {"deep_compression",
         {"Files 35-49× smaller than fp32 in the paper at no accuracy loss: pruning, shared weights and Huffman "
          "coding multiply.",
          "Storage only: inference decodes to fp32 (no speedup without a sparse, codebook-aware kernel)."}},
        {"random_channel",
         {"The structured baseline; often close after fine-tuning (Liu et al.).",
          "Unreliable at high ratios; no notion of importance."}},
    };
    // The survey's family of each method within its "when" (the study plan's weekly topics).
    // Gradual magnitude pruning and soft filter pruning rank by a score on a schedule (score-based);
    // movement pruning learns its scores by gradient through a straight-through estimator
    // (differentiable); iterative magnitude pruning without reset is score-based, the lottery
    // ticket (reset or rewind) has a family of its own; Wanda and layer-wise reconstruction prune
    // a trained network without retraining (post-training). Random pruning is a baseline: none.
    const std::map<std::string, Approach> approaches = {
        {"global_magnitude", Approach::ScoreBased},
        {"layerwise_magnitude", Approach::ScoreBased},
        {"nm_sparsity", Approach::ScoreBased},
        {"kernel_pattern", Approach::ScoreBased},
        {"taylor", Approach::ScoreBased},
        {"wanda", Approach::PostTraining},
        {"layerwise_reconstruction", Approach::PostTraining},
        {"lottery_ticket", Approach::LotteryTicket},
        {"iterative_magnitude", Approach::ScoreBased},
        {"gmp", Approach::ScoreBased},
        {"set", Approach::DynamicSparseTraining},
        {"rigl", Approach::DynamicSparseTraining},
        {"movement", Approach::DifferentiablePruning},
        {"l1_filter", Approach::ScoreBased},
        {"l2_filter", Approach::ScoreBased},
        {"fpgm", Approach::ScoreBased},
        {"taylor_channel", Approach::ScoreBased},
        {"bn_scale", Approach::ScoreBased},
        {"hrank", Approach::ScoreBased},
        {"slimming", Approach::SparsityRegularisation},
        {"ssl", Approach::SparsityRegularisation},
        {"sfp", Approach::ScoreBased},
        {"early_bird", Approach::EarlyTraining},
        {"greg", Approach::SparsityRegularisation},
        {"deep_compression", Approach::ScoreBased},
    };
    for (auto& method : methods) {
        auto it = tradeOffs.find(method.id);
        if (it != tradeOffs.end()) {
            method.card.goodAt = it->second.first;
            method.card.badAt = it->second.second;
        }
        if (auto approach = approaches.find(method.id); approach != approaches.end())
            method.taxonomy.approach = approach->second;
    }
}

}  // namespace prunescope
