// SNIP, GraSP and SynFlow: the pruning-before-training criteria of the survey.
#include "methods/SaliencyPruning.h"

#include "criteria/Saliency.h"

namespace prunescope {

SnipOptions SnipOptions::from(const ParamMap& params)
{
    SnipOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.batchSize = intParam(params, "batch_size");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

GraspOptions GraspOptions::from(const ParamMap& params)
{
    GraspOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.batchSize = intParam(params, "batch_size");
    options.temperature = doubleParam(params, "temperature");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

SynflowOptions SynflowOptions::from(const ParamMap& params)
{
    SynflowOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.rounds = intParam(params, "rounds");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

MaskSet SnipPruner::computeMasks(const PruningContext& context)
{
    const SnipOptions options = SnipOptions::from(context.params);
    const auto [images, labels] = scoringBatch(context.data, options.batchSize, context.seed);
    const auto scores
        = snipScores(context.model, layersToPrune(context.model, options.includeClassifier), images, labels);
    return maskLowestGlobally(scores, options.sparsity);
}

MaskSet GraspPruner::computeMasks(const PruningContext& context)
{
    const GraspOptions options = GraspOptions::from(context.params);
    const auto [images, labels] = scoringBatch(context.data, options.batchSize, context.seed);
    auto scores = graspScores(context.model, layersToPrune(context.model, options.includeClassifier), images, labels,
                              options.temperature);
    // GraSP removes the HIGHEST scores: negate so the shared "lowest first" rule applies.
    for (auto& layer : scores)
        layer.scores = -layer.scores;
    return maskLowestGlobally(scores, options.sparsity);
}

MaskSet SynflowPruner::computeMasks(const PruningContext& context)
{
    const SynflowOptions options = SynflowOptions::from(context.params);
    const auto layers = layersToPrune(context.model, options.includeClassifier);
    const double density = 1.0 - options.sparsity;
    const int64_t rounds = options.rounds;
    const DataShape& shape = context.model.inputShape();
    const std::vector<int64_t> inputShape{shape.channels, shape.height, shape.width};
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
