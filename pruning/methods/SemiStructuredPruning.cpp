#include "methods/SemiStructuredPruning.h"

#include "criteria/Magnitude.h"

namespace prunescope {

NmOptions NmOptions::from(const ParamMap& params)
{
    NmOptions options;
    options.n = intParam(params, "n");
    options.m = intParam(params, "m");
    if (options.n >= options.m)
        throw std::invalid_argument("n, m: N:M pruning keeps N of every M weights, so N must be smaller than M; got "
                                    + std::to_string(options.n) + ":" + std::to_string(options.m));
    options.skipIncompatible = boolParam(params, "skip_incompatible");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

KernelPatternOptions KernelPatternOptions::from(const ParamMap& params)
{
    KernelPatternOptions options;
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

MaskSet NmPruner::computeMasks(const PruningContext& context)
{
    const NmOptions options = NmOptions::from(context.params);
    const int64_t n = options.n, m = options.m;
    if (n >= m)
        throw std::invalid_argument("N:M pruning needs N < M, got " + std::to_string(n) + ":" + std::to_string(m));
    MaskSet masks;
    for (const auto& layer : layersToPrune(context.model, options.includeClassifier)) {
        const int64_t columns = layer.weight.numel() / layer.weight.size(0);
        if (columns % m != 0 && options.skipIncompatible) {
            if (context.log)
                context.log->push_back("N:M: layer " + layer.name + " left dense (" + std::to_string(columns)
                                       + " inputs per output is not a multiple of " + std::to_string(m) + ")");
            continue;
        }
        masks.compose(layer.name, nmMask(layer.name, magnitudeScores(layer.weight), n, m));
    }
    return masks;
}

MaskSet KernelPatternPruner::computeMasks(const PruningContext& context)
{
    const KernelPatternOptions options = KernelPatternOptions::from(context.params);
    MaskSet masks;
    for (const auto& layer : layersToPrune(context.model, options.includeClassifier)) {
        if (layer.kind != LayerKind::Conv || layer.kernel != 3) {
            if (context.log)
                context.log->push_back("kernel patterns: layer " + layer.name + " left dense (not a 3×3 convolution)");
            continue;
        }
        masks.compose(layer.name, kernelPatternMask(layer.name, layer.weight, fourEntryPatterns()));
    }
    if (masks.empty())
        throw std::invalid_argument(
            "model '" + context.model.modelId()
            + "' has no 3×3 convolutions for kernel-pattern pruning (try vgg_small or resnet20)");
    return masks;
}

}  // namespace prunescope
