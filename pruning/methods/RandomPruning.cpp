// Random pruning, the baseline of Blalock et al. (MLSys 2020).
#include "criteria/Magnitude.h"
#include "methods/MagnitudePruning.h"

namespace prunescope {

MaskSet RandomPruner::computeMasks(const PruningContext& context)
{
    const LayerwiseSparsityOptions options = LayerwiseSparsityOptions::from(context.params);
    const auto layers = layersToPrune(context.model, options.includeClassifier);
    const auto sparsities = layerSparsities(layers, options.sparsity, options.layerSparsity);
    // Its own generator, so the mask depends on the seed only, not on what ran before.
    torch::Generator generator = seededGenerator(context.seed ^ 0x7a9d0f1eull);
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor scores = torch::rand(layer.weight.sizes(), generator, torch::kFloat32);
        masks.compose(layer.name, maskLowest(scores, pruneCount(sparsities.at(layer.name), scores.numel())));
    }
    return masks;
}

}  // namespace prunescope
