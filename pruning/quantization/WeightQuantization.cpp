#include "quantization/WeightQuantization.h"

#include <set>
#include <stdexcept>

namespace prunescope {

LayerGrids weightGrids(const torch::Tensor& weight, const WeightQuantOptions& options)
{
    torch::NoGradGuard noGrad;
    LayerGrids grids;
    if (!options.perChannel) {
        auto observer = makeObserver(options.observer, options.scheme);
        observer->observe(weight);
        grids.grids.push_back(quantParamsFor(observer->range(), options.scheme));
        return grids;
    }
    const torch::Tensor rows = weight.detach().reshape({weight.size(0), -1});
    for (int64_t c = 0; c < rows.size(0); ++c) {
        auto observer = makeObserver(options.observer, options.scheme);
        observer->observe(rows[c]);
        grids.grids.push_back(quantParamsFor(observer->range(), options.scheme));
    }
    return grids;
}

torch::Tensor fakeQuantizeWeight(const torch::Tensor& weight, const LayerGrids& grids)
{
    if (grids.grids.size() == 1)
        return fakeQuantize(weight, grids.grids[0]);
    std::vector<float> scales;
    std::vector<int> zeroPoints;
    for (const auto& grid : grids.grids) {
        scales.push_back(float(grid.scale));
        zeroPoints.push_back(int(grid.zeroPoint));
    }
    const auto& first = grids.grids.front();
    return torch::fake_quantize_per_channel_affine(weight, torch::tensor(scales),
                                                   torch::tensor(zeroPoints, torch::kInt),
                                                   /*axis=*/0, first.quantMin, first.quantMax);
}

torch::Tensor insideGrid(const torch::Tensor& weight, const LayerGrids& grids)
{
    std::vector<float> lowest, highest;
    for (const auto& grid : grids.grids) {
        lowest.push_back(float(grid.lowest()));
        highest.push_back(float(grid.highest()));
    }
    std::vector<int64_t> shape(size_t(weight.dim()), 1);
    shape[0] = int64_t(lowest.size());
    const torch::Tensor low = torch::tensor(lowest).reshape(shape), high = torch::tensor(highest).reshape(shape);
    return (weight >= low).logical_and(weight <= high).to(weight.scalar_type());
}

std::map<std::string, LayerGrids> quantizeWeights(ModelBase& model, const WeightQuantOptions& options)
{
    torch::NoGradGuard noGrad;
    std::map<std::string, LayerGrids> all;
    for (const auto& layer : model.prunableLayers()) {
        LayerGrids grids = weightGrids(layer.weight, options);
        layer.weight.copy_(fakeQuantizeWeight(layer.weight, grids));
        all[layer.name] = std::move(grids);
    }
    return all;
}

int foldBatchNorm(ModelBase& model)
{
    torch::NoGradGuard noGrad;
    const auto modules = model.named_modules();
    std::map<std::string, torch::Tensor> weights;
    for (const auto& layer : model.prunableLayers())
        weights[layer.name] = layer.weight;
    int folded = 0;
    for (const NormLink& link : model.norms()) {
        if (!modules.contains(link.norm) || !weights.count(link.producer))
            throw std::logic_error("BatchNorm folding: the model declares '" + link.norm + "' after '" + link.producer
                                   + "', which it does not have");
        const auto& module = modules[link.norm];
        torch::Tensor gamma, beta, mean, var;
        double eps = 0;
        if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
            gamma = bn->weight, beta = bn->bias, mean = bn->running_mean, var = bn->running_var;
            eps = bn->options.eps();
        } else if (auto* bn1 = module->as<torch::nn::BatchNorm1dImpl>()) {
            gamma = bn1->weight, beta = bn1->bias, mean = bn1->running_mean, var = bn1->running_var;
            eps = bn1->options.eps();
        } else {
            throw std::logic_error("BatchNorm folding: '" + link.norm + "' is not a BatchNorm layer");
        }
        if (!mean.defined() || !gamma.defined())
            throw std::invalid_argument("BatchNorm folding: '" + link.norm
                                        + "' has no running statistics or no affine parameters");
        const torch::Tensor factor = gamma / torch::sqrt(var + eps);
        torch::Tensor& weight = weights[link.producer];
        std::vector<int64_t> shape(size_t(weight.dim()), 1);
        shape[0] = factor.size(0);
        weight.mul_(factor.reshape(shape));
        // The layer's output is now factor·(Wx) + b; BatchNorm's remaining job is the shift
        // factor·(b − μ) + β − b, with b = 0 for a layer without bias.
        torch::Tensor shift = beta - factor * mean;
        const auto producerParameters = modules[link.producer]->named_parameters(false);
        if (const auto* bias = producerParameters.find("bias"); bias && bias->defined())
            shift = shift + factor * *bias - *bias;
        beta.copy_(shift);
        gamma.fill_(1.0);
        mean.zero_();
        var.fill_(1.0 - eps);
        ++folded;
    }
    return folded;
}

int64_t quantizedBytes(const ModelBase& model, const std::map<std::string, LayerGrids>& grids, int bits)
{
    torch::NoGradGuard noGrad;
    int64_t bytes = 0;
    std::set<const void*> counted;
    for (const auto& layer : model.prunableLayers()) {
        counted.insert(layer.weight.data_ptr());
        const int64_t elements = layer.weight.numel();
        const int64_t nonzeros = layer.weight.count_nonzero().item<int64_t>();
        const int64_t dense = (elements * bits + 7) / 8;
        const int64_t sparse = (elements + 7) / 8 + (nonzeros * bits + 7) / 8;
        bytes += std::min(dense, sparse);
        const auto it = grids.find(layer.name);
        bytes += 8 * int64_t(it == grids.end() ? 1 : it->second.grids.size());
    }
    for (const auto& parameter : model.parameters()) {
        if (!counted.count(parameter.data_ptr()))
            bytes += 4 * parameter.numel();
    }
    return bytes;
}

}  // namespace prunescope
