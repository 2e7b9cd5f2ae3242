#include "criteria/Saliency.h"

namespace prunescope {
namespace {

std::vector<torch::Tensor> weightsOf(const std::vector<PrunableLayer>& layers)
{
    std::vector<torch::Tensor> weights;
    for (const auto& layer : layers)
        weights.push_back(layer.weight);
    return weights;
}

}  // namespace

std::vector<NamedScores> snipScores(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                    const torch::Tensor& images, const torch::Tensor& labels)
{
    model.train();
    const torch::Tensor loss = torch::nn::functional::cross_entropy(model.forward(images), labels);
    const auto grads = torch::autograd::grad({loss}, weightsOf(layers));
    std::vector<NamedScores> scores;
    for (size_t i = 0; i < layers.size(); ++i)
        scores.push_back({layers[i].name, (grads[i] * layers[i].weight.detach()).abs()});
    return scores;
}

std::vector<NamedScores> graspScores(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                     const torch::Tensor& images, const torch::Tensor& labels, double temperature)
{
    model.train();
    const auto weights = weightsOf(layers);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(model.forward(images) / temperature, labels);
    // g with its graph kept, so that z = gᵀ·stop(g) can be differentiated once more: ∂z/∂w = H g.
    const auto grads = torch::autograd::grad({loss}, weights, {}, /*retain_graph=*/true, /*create_graph=*/true);
    torch::Tensor z = torch::zeros({}, loss.options());
    for (const auto& g : grads)
        z = z + (g * g.detach()).sum();
    const auto hessianGrad = torch::autograd::grad({z}, weights);
    std::vector<NamedScores> scores;
    for (size_t i = 0; i < layers.size(); ++i)
        scores.push_back({layers[i].name, -(layers[i].weight.detach() * hessianGrad[i])});
    return scores;
}

std::vector<NamedScores> synflowScores(ModelBase& model, const std::vector<PrunableLayer>& layers, const MaskSet& masks,
                                       const std::vector<int64_t>& inputShape)
{
    // Linearise the network: |θ| everywhere, masked weights zero. The original values are kept
    // and put back, so the caller's model is unchanged.
    const auto originalDtype = layers.empty() ? torch::kFloat32 : layers.front().weight.scalar_type();
    std::vector<torch::Tensor> saved;
    {
        torch::NoGradGuard noGrad;
        for (auto& parameter : model.parameters())
            saved.push_back(parameter.detach().clone());
        model.to(torch::kFloat64);
        for (auto& parameter : model.parameters())
            parameter.abs_();
    }
    model.eval();  // BatchNorm uses its running statistics: no batch, no data
    std::vector<torch::Tensor> weights;
    for (const auto& layer : model.prunableLayers()) {
        for (const auto& chosen : layers) {
            if (chosen.name == layer.name)
                weights.push_back(layer.weight);
        }
    }
    {
        torch::NoGradGuard noGrad;
        for (const auto& layer : model.prunableLayers()) {
            if (masks.contains(layer.name))
                layer.weight.mul_(masks.mask(layer.name).to(torch::kFloat64));
        }
    }
    std::vector<int64_t> shape = {1};
    shape.insert(shape.end(), inputShape.begin(), inputShape.end());
    const torch::Tensor output = model.forward(torch::ones(shape, torch::kFloat64));
    const auto grads = torch::autograd::grad({output.sum()}, weights);
    std::vector<NamedScores> scores;
    for (size_t i = 0; i < layers.size(); ++i)
        scores.push_back({layers[i].name, (grads[i] * weights[i].detach()).abs().to(torch::kFloat32)});
    {
        torch::NoGradGuard noGrad;
        model.to(originalDtype);
        size_t index = 0;
        for (auto& parameter : model.parameters())
            parameter.copy_(saved[index++]);
    }
    return scores;
}

}  // namespace prunescope
