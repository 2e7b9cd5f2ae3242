#include "metrics/ModelMetrics.h"

namespace prunescope {

std::vector<LayerStats> measureLayers(const ModelBase& model, const MaskSet& masks)
{
    torch::NoGradGuard noGrad;
    std::vector<LayerStats> stats;
    for (const auto& layer : model.prunableLayers()) {
        LayerStats s;
        s.name = layer.name;
        s.kind = layer.kindName();
        s.shape = layer.shape();
        s.parameters = layer.weight.numel();
        s.pruned = masks.contains(layer.name);
        // A masked layer stores the entries its mask keeps, even one that is momentarily zero
        // (a connection dynamic sparse training has just grown starts at 0).
        s.nonzeros = s.pruned ? masks.kept(layer.name) : layer.weight.count_nonzero().item<int64_t>();
        s.denseMacs = layer.macsPerSample;
        s.effectiveMacs = layer.macsPerSample * s.density();
        s.channels = layer.weight.size(0);
        s.channelsKept = layer.weight.detach().flatten(1).ne(0).any(1).sum().item<int64_t>();
        stats.push_back(std::move(s));
    }
    return stats;
}

int64_t bitmapSparseBytes(int64_t elements, int64_t nonzeros)
{
    return (elements + 7) / 8 + 4 * nonzeros;
}

void measureModel(const ModelBase& model, const MaskSet& masks, RunSummary& summary)
{
    torch::NoGradGuard noGrad;
    summary.parameters = 0;
    summary.nonzeros = 0;
    for (const auto& parameter : model.parameters()) {
        summary.parameters += parameter.numel();
        summary.nonzeros += parameter.count_nonzero().item<int64_t>();
    }
    summary.prunableParameters = 0;
    summary.prunableNonzeros = 0;
    summary.denseMacs = 0;
    summary.effectiveMacs = 0;
    int64_t maskedDenseBytes = 0, maskedSparseBytes = 0;
    for (const auto& layer : measureLayers(model, masks)) {
        summary.denseMacs += layer.denseMacs;
        summary.effectiveMacs += layer.effectiveMacs;
        if (layer.pruned) {
            summary.prunableParameters += layer.parameters;
            summary.prunableNonzeros += layer.nonzeros;
            maskedDenseBytes += 4 * layer.parameters;
            maskedSparseBytes += bitmapSparseBytes(layer.parameters, layer.nonzeros);
        }
    }
    summary.sparsity = summary.prunableParameters
        ? 1.0 - double(summary.prunableNonzeros) / double(summary.prunableParameters)
        : 0.0;
    summary.compressionRatio = summary.nonzeros ? double(summary.parameters) / double(summary.nonzeros) : 0.0;
    summary.theoreticalSpeedup = summary.effectiveMacs > 0 ? summary.denseMacs / summary.effectiveMacs : 0.0;
    summary.denseBytes = 4 * summary.parameters;
    summary.sparseBytes = summary.denseBytes - maskedDenseBytes + maskedSparseBytes;
}

}  // namespace prunescope
