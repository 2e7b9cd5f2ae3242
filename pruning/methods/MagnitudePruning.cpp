// Magnitude pruning (Han et al., NeurIPS 2015), global and layer-wise.
#include "methods/MagnitudePruning.h"

#include "criteria/Magnitude.h"

namespace prunescope {

GlobalMagnitudeOptions GlobalMagnitudeOptions::from(const ParamMap& params)
{
    GlobalMagnitudeOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

LayerwiseSparsityOptions LayerwiseSparsityOptions::from(const ParamMap& params)
{
    LayerwiseSparsityOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.layerSparsity = stringParam(params, "layer_sparsity");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

MaskSet GlobalMagnitudePruner::computeMasks(const PruningContext& context)
{
    const GlobalMagnitudeOptions options = GlobalMagnitudeOptions::from(context.params);
    std::vector<NamedScores> scores;
    for (const auto& layer : layersToPrune(context.model, options.includeClassifier))
        scores.push_back({layer.name, magnitudeScores(layer.weight)});
    return maskLowestGlobally(scores, options.sparsity);
}

void checkLayerSparsities(const ModelBase& model, const LayerwiseSparsityOptions& options)
{
    layerSparsities(layersToPrune(model, options.includeClassifier), options.sparsity, options.layerSparsity);
}

void LayerwiseMagnitudePruner::checkApplicable(const ModelBase& model, const ParamMap& params) const
{
    checkLayerSparsities(model, LayerwiseSparsityOptions::from(params));
}

MaskSet LayerwiseMagnitudePruner::computeMasks(const PruningContext& context)
{
    return layerwiseMagnitudeMasks(context.model, LayerwiseSparsityOptions::from(context.params));
}

MaskSet layerwiseMagnitudeMasks(const ModelBase& model, const LayerwiseSparsityOptions& options)
{
    const auto layers = layersToPrune(model, options.includeClassifier);
    const auto sparsities = layerSparsities(layers, options.sparsity, options.layerSparsity);
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor scores = magnitudeScores(layer.weight);
        masks.compose(layer.name, maskLowest(scores, pruneCount(sparsities.at(layer.name), scores.numel())));
    }
    return masks;
}

}  // namespace prunescope
