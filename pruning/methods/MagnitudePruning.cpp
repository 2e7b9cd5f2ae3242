// Magnitude pruning (Han et al., NeurIPS 2015), global and layer-wise.
#include "methods/MagnitudePruning.h"

#include "criteria/Magnitude.h"

namespace prunescope {

MaskSet GlobalMagnitudePruner::computeMasks(const PruningContext& context)
{
    std::vector<NamedScores> scores;
    for (const auto& layer : layersToPrune(context.model, context.params))
        scores.push_back({layer.name, magnitudeScores(layer.weight)});
    return maskLowestGlobally(scores, doubleParam(context.params, "sparsity"));
}

MaskSet LayerwiseMagnitudePruner::computeMasks(const PruningContext& context)
{
    const auto layers = layersToPrune(context.model, context.params);
    const auto sparsities = layerSparsities(layers, context.params);
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor scores = magnitudeScores(layer.weight);
        masks.compose(layer.name, maskLowest(scores, pruneCount(sparsities.at(layer.name), scores.numel())));
    }
    return masks;
}

}  // namespace prunescope
