// SNIP, GraSP and SynFlow: the pruning-before-training criteria of the survey.
#include "methods/SaliencyPruning.h"

#include "criteria/Saliency.h"

namespace prunescope {

MaskSet SnipPruner::computeMasks(const PruningContext& context)
{
    const auto [images, labels] = scoringBatch(context.data, intParam(context.params, "batch_size"), context.seed);
    const auto scores = snipScores(context.model, layersToPrune(context.model, context.params), images, labels);
    return maskLowestGlobally(scores, doubleParam(context.params, "sparsity"));
}

MaskSet GraspPruner::computeMasks(const PruningContext& context)
{
    const auto [images, labels] = scoringBatch(context.data, intParam(context.params, "batch_size"), context.seed);
    auto scores = graspScores(context.model, layersToPrune(context.model, context.params), images, labels,
                              doubleParam(context.params, "temperature"));
    // GraSP removes the HIGHEST scores: negate so the shared "lowest first" rule applies.
    for (auto& layer : scores)
        layer.scores = -layer.scores;
    return maskLowestGlobally(scores, doubleParam(context.params, "sparsity"));
}

MaskSet SynflowPruner::computeMasks(const PruningContext& context)
{
    const auto layers = layersToPrune(context.model, context.params);
    const double density = 1.0 - doubleParam(context.params, "sparsity");
    const int64_t rounds = intParam(context.params, "rounds");
    const auto inputShape = context.data.train.size() > 0
                                ? std::vector<int64_t>(context.data.train.images.sizes().begin() + 1,
                                                       context.data.train.images.sizes().end())
                                : std::vector<int64_t>{1, 28, 28};
    MaskSet masks;
    for (const auto& layer : layers)
        masks.compose(layer.name, torch::ones_like(layer.weight));
    for (int64_t round = 1; round <= rounds; ++round) {
        // Exponential schedule: density^(round/rounds), so early rounds remove little.
        const double roundSparsity = 1.0 - std::pow(density, double(round) / double(rounds));
        const auto scores = synflowScores(context.model, layers, masks, inputShape);
        // Pruned weights score 0 and stay pruned, so the masks only shrink.
        masks = maskLowestGlobally(scores, roundSparsity);
    }
    return masks;
}

}  // namespace prunescope
