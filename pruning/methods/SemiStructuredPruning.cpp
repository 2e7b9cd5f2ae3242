#include "methods/SemiStructuredPruning.h"

#include "criteria/Magnitude.h"

namespace prunescope {

MaskSet NmPruner::computeMasks(const PruningContext& context)
{
    const int64_t n = intParam(context.params, "n");
    const int64_t m = intParam(context.params, "m");
    if (n >= m)
        throw std::invalid_argument("N:M pruning needs N < M, got " + std::to_string(n) + ":" + std::to_string(m));
    const bool skipIncompatible = boolParam(context.params, "skip_incompatible");
    MaskSet masks;
    for (const auto& layer : layersToPrune(context.model, context.params)) {
        const int64_t columns = layer.weight.numel() / layer.weight.size(0);
        if (columns % m != 0 && skipIncompatible) {
            if (context.log)
                context.log->push_back("N:M: layer " + layer.name + " left dense (" + std::to_string(columns) +
                                       " inputs per output is not a multiple of " + std::to_string(m) + ")");
            continue;
        }
        masks.compose(layer.name, nmMask(layer.name, magnitudeScores(layer.weight), n, m));
    }
    return masks;
}

MaskSet KernelPatternPruner::computeMasks(const PruningContext& context)
{
    MaskSet masks;
    for (const auto& layer : layersToPrune(context.model, context.params)) {
        if (layer.kind != LayerKind::Conv || layer.kernel != 3) {
            if (context.log)
                context.log->push_back("kernel patterns: layer " + layer.name + " left dense (not a 3×3 convolution)");
            continue;
        }
        masks.compose(layer.name, kernelPatternMask(layer.name, layer.weight, fourEntryPatterns()));
    }
    if (masks.empty())
        throw std::invalid_argument("model '" + context.model.modelId() +
                                    "' has no 3×3 convolutions for kernel-pattern pruning (try vgg_small or resnet20)");
    return masks;
}

}  // namespace prunescope
