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
            throw std::invalid_argument("layer " + layer.name + " of model " + model.modelId()
                                        + ": its input could not be captured for calibration (in a TorchScript "
                                          "model: called inside an if or a loop, or a conv with groups, dilation or "
                                          "non-square geometry); try a method that needs no calibration data");
    }
    return inputs;
}

namespace {

// The layers whose rows all read one input matrix: a grouped (depthwise) convolution's rows each
// read their own channel, which the calibration matrix does not hold, so it is left dense (a
// depthwise layer holds a small share of a network's weights) and the log says so.
std::vector<PrunableLayer> calibratedLayers(const PruningContext& context, bool includeClassifier)
{
    std::vector<PrunableLayer> layers;
    for (auto& layer : layersToPrune(context.model, includeClassifier)) {
        if (layer.groups > 1) {
            if (context.log)
                context.log->push_back("layer " + layer.name
                                       + " left dense: a grouped (depthwise) convolution has no "
                                         "shared input matrix to calibrate on");
            continue;
        }
        layers.push_back(std::move(layer));
    }
    return layers;
}

}  // namespace

TaylorOptions TaylorOptions::from(const ParamMap& params)
{
    TaylorOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.batches = intParam(params, "batches");
    options.batchSize = intParam(params, "batch_size");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

WandaOptions WandaOptions::from(const ParamMap& params)
{
    WandaOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.calibrationSamples = intParam(params, "calibration_samples");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

ReconstructionOptions ReconstructionOptions::from(const ParamMap& params)
{
    ReconstructionOptions options;
    options.mask = WandaOptions::from(params);
    options.damping = doubleParam(params, "damping");
    return options;
}

MaskSet TaylorPruner::computeMasks(const PruningContext& context)
{
    const TaylorOptions options = TaylorOptions::from(context.params);
    // Molchanov et al. (CVPR 2019): the first-order Taylor estimate of the loss change when a
    // weight is removed, (g·w)², averaged over several batches.
    const auto layers = layersToPrune(context.model, options.includeClassifier);
    std::vector<torch::Tensor> weights;
    for (const auto& layer : layers)
        weights.push_back(layer.weight);
    std::vector<torch::Tensor> importance;
    for (const auto& w : weights)
        importance.push_back(torch::zeros_like(w));
    const int64_t batches = options.batches;
    const int64_t batchSize = options.batchSize;
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
    return maskLowestGlobally(scores, options.sparsity);
}

MaskSet WandaPruner::computeMasks(const PruningContext& context)
{
    const WandaOptions options = WandaOptions::from(context.params);
    const auto layers = calibratedLayers(context, options.includeClassifier);
    const auto [images, labels] = scoringBatch(context.data, options.calibrationSamples, context.seed);
    const auto inputs = captureLayerInputs(context.model, layers, images);
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor weight2d = layer.weight.detach().reshape({layer.weight.size(0), -1});
        masks.compose(layer.name,
                      wandaMask(weight2d, inputs.at(layer.name), options.sparsity).reshape(layer.weight.sizes()));
    }
    return masks;
}

MaskSet ReconstructionPruner::computeMasks(const PruningContext& context)
{
    const ReconstructionOptions options = ReconstructionOptions::from(context.params);
    const auto layers = calibratedLayers(context, options.mask.includeClassifier);
    const auto [images, labels] = scoringBatch(context.data, options.mask.calibrationSamples, context.seed);
    const auto inputs = captureLayerInputs(context.model, layers, images);
    const double damping = options.damping;
    MaskSet masks;
    for (const auto& layer : layers) {
        const torch::Tensor weight2d = layer.weight.detach().reshape({layer.weight.size(0), -1});
        const torch::Tensor& x = inputs.at(layer.name);
        const torch::Tensor mask2d = wandaMask(weight2d, x, options.mask.sparsity);
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
