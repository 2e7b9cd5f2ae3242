#include "methods/PostTrainingPruning.h"

#include "criteria/Magnitude.h"
#include "criteria/Reconstruction.h"

namespace prunescope {

std::map<std::string, torch::Tensor> captureLayerInputs(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                                        const torch::Tensor& images)
{
    torch::NoGradGuard noGrad;
    std::map<std::string, torch::Tensor> inputs;
    std::map<std::string, const PrunableLayer*> wanted;
    for (const auto& layer : layers)
        wanted[layer.name] = &layer;
    model.eval();
    model.setInputRecorder([&](const std::string& name, const torch::Tensor& x) {
        if (auto it = wanted.find(name); it != wanted.end())
            inputs[name] = inputMatrix(*it->second, x.detach());
    });
    try {
        model.forward(images);
    } catch (...) {
        model.setInputRecorder({});
        throw;
    }
    model.setInputRecorder({});
    for (const auto& layer : layers) {
        if (!inputs.count(layer.name))
            throw std::invalid_argument("layer " + layer.name + " of model " + model.modelId() +
                                        ": its input could not be captured for calibration (in a TorchScript "
                                        "model: called inside an if or a loop, or a conv with groups, dilation or "
                                        "non-square geometry); try a method that needs no calibration data");
    }
    return inputs;
}

MaskSet TaylorPruner::computeMasks(const PruningContext& context)
{
    // Molchanov et al. (CVPR 2019): the first-order Taylor estimate of the loss change when a
    // weight is removed, (g·w)², averaged over several batches.
    const auto layers = layersToPrune(context.model, context.params);
    std::vector<torch::Tensor> weights;
    for (const auto& layer : layers)
        weights.push_back(layer.weight);
    std::vector<torch::Tensor> importance;
    for (const auto& w : weights)
        importance.push_back(torch::zeros_like(w));
    const int64_t batches = intParam(context.params, "batches");
    const int64_t batchSize = intParam(context.params, "batch_size");
    context.model.eval();  // BatchNorm statistics of the trained model, not of one batch
    for (int64_t b = 0; b < batches; ++b) {
        const auto [images, labels] = scoringBatch(context.data, batchSize, context.seed + uint64_t(b) * 7919);
        const torch::Tensor loss = torch::nn::functional::cross_entropy(context.model.forward(images), labels);
        const auto grads = torch::autograd::grad({loss}, weights);
        for (size_t i = 0; i < weights.size(); ++i)
            importance[i] += (grads[i] * weights[i].detach()).pow(2) / double(batches);
    }
    std::vector<NamedScores> scores;
    for (size_t i = 0; i < layers.size(); ++i)
        scores.push_back({layers[i].name, importance[i]});
    return maskLowestGlobally(scores, doubleParam(context.params, "sparsity"));
}

MaskSet WandaPruner::computeMasks(const PruningContext& context)
{
    const auto layers = layersToPrune(context.model, context.params);
    const auto [images, labels] = scoringBatch(context.data, intParam(context.params, "calibration_samples"), context.seed);
    const auto inputs = captureLayerInputs(context.model, layers, images);
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor weight2d = layer.weight.detach().reshape({layer.weight.size(0), -1});
        masks.compose(layer.name, wandaMask(weight2d, inputs.at(layer.name), doubleParam(context.params, "sparsity"))
                                      .reshape(layer.weight.sizes()));
    }
    return masks;
}

MaskSet ReconstructionPruner::computeMasks(const PruningContext& context)
{
    const auto layers = layersToPrune(context.model, context.params);
    const auto [images, labels] = scoringBatch(context.data, intParam(context.params, "calibration_samples"), context.seed);
    const auto inputs = captureLayerInputs(context.model, layers, images);
    const double damping = doubleParam(context.params, "damping");
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor weight2d = layer.weight.detach().reshape({layer.weight.size(0), -1});
        const torch::Tensor& x = inputs.at(layer.name);
        const torch::Tensor mask2d = wandaMask(weight2d, x, doubleParam(context.params, "sparsity"));
        const torch::Tensor rebuilt = reconstructWeights(weight2d, mask2d, x, damping);
        {
            // The method changes the kept weights, not only the mask: that is the reconstruction.
            torch::NoGradGuard noGrad;
            layer.weight.copy_(rebuilt.reshape(layer.weight.sizes()));
        }
        masks.compose(layer.name, mask2d.reshape(layer.weight.sizes()));
    }
    return masks;
}

}  // namespace prunescope
