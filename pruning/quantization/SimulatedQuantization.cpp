#include "quantization/SimulatedQuantization.h"

#include "core/RunCancelled.h"

namespace prunescope {

ActivationQuantizer::ActivationQuantizer(ModelBase& model, ActivationQuantOptions options)
    : m_model(model), m_options(options)
{
    m_model.setInputTransform(
        [this](const std::string& layer, const torch::Tensor& input) { return transform(layer, input); });
}

ActivationQuantizer::~ActivationQuantizer()
{
    m_model.setInputTransform({});
}

Observer& ActivationQuantizer::observerOf(const std::string& layer)
{
    auto& observer = m_observers[layer];
    if (!observer)
        observer = makeObserver(m_options.observer, m_options.scheme);
    return *observer;
}

void ActivationQuantizer::setMode(ActivationMode mode)
{
    m_mode = mode;
    if (mode != ActivationMode::Quantize)
        return;
    for (const auto& [layer, observer] : m_observers)
        m_grids[layer] = quantParamsFor(observer->range(), m_options.scheme);
}

torch::Tensor ActivationQuantizer::transform(const std::string& layer, const torch::Tensor& input)
{
    switch (m_mode) {
    case ActivationMode::Observe:
        observerOf(layer).observe(input);
        return input;
    case ActivationMode::ObserveAndQuantize: {
        Observer& observer = observerOf(layer);
        observer.observe(input);
        const QuantParams grid = quantParamsFor(observer.range(), m_options.scheme);
        m_grids[layer] = grid;
        return fakeQuantize(input, grid);
    }
    case ActivationMode::Quantize:
        break;
    }
    const auto it = m_grids.find(layer);
    if (it == m_grids.end())
        throw std::logic_error("activation quantization: layer '" + layer + "' was never calibrated");
    return fakeQuantize(input, it->second);
}

int calibrateActivations(ModelBase& model, const TensorDataset& train, int batches, int64_t batchSize, uint64_t seed,
                         const std::atomic<bool>* cancel)
{
    torch::NoGradGuard noGrad;
    model.eval();
    BatchIterator iterator(train, batchSize, /*shuffle=*/true, seededGenerator(seed ^ 0xca1b7a7eull));
    torch::Tensor images, labels;
    int run = 0;
    while (run < batches && iterator.next(images, labels)) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            throw RunCancelled();
        model.forward(images);
        ++run;
    }
    return run;
}

namespace {

// What a prunable layer hands on: its conv or linear on `input`, plus its bias and the shift of the
// folded BatchNorm after it (the real int8 module folds both into the operator's bias).
class LayerOutput {
public:
    LayerOutput(ModelBase& model, const PrunableLayer& layer) : m_layer(layer)
    {
        const auto modules = model.named_modules();
        const auto own = modules[layer.name]->named_parameters(false);
        if (const auto* bias = own.find("bias"); bias && bias->defined())
            m_bias = bias->detach();
        for (const NormLink& link : model.norms()) {
            if (link.producer != layer.name)
                continue;
            const auto norm = modules[link.norm]->named_parameters(false);
            if (const auto* shift = norm.find("bias"); shift && shift->defined())
                m_shift = shift->detach();
        }
    }
    torch::Tensor operator()(const torch::Tensor& input) const
    {
        const torch::Tensor weight = m_layer.weight.detach();
        torch::Tensor y = m_layer.kind == LayerKind::Conv
            ? torch::conv2d(input, weight, m_bias, {m_layer.stride, m_layer.stride}, {m_layer.padding, m_layer.padding},
                            {1, 1}, m_layer.groups)
            : torch::linear(input, weight, m_bias);
        if (m_shift.defined())
            y = y + (y.dim() == 4 ? m_shift.view({1, -1, 1, 1}) : m_shift.view({1, -1}));
        return y;
    }

private:
    PrunableLayer m_layer;
    torch::Tensor m_bias, m_shift;
};

}  // namespace

std::map<std::string, QuantParams> calibrateLayerOutputs(ModelBase& model, const ActivationQuantizer& activations,
                                                         const ObserverOptions& observer, const TensorDataset& train,
                                                         int batches, int64_t batchSize, uint64_t seed)
{
    if (activations.mode() != ActivationMode::Quantize)
        throw std::logic_error("calibrateLayerOutputs: the activation quantizer must be in Quantize mode");
    const QuantScheme scheme{8, false};
    std::map<std::string, LayerOutput> outputs;
    std::map<std::string, std::unique_ptr<Observer>> observers;
    for (const auto& layer : model.prunableLayers()) {
        outputs.emplace(layer.name, LayerOutput(model, layer));
        observers[layer.name] = makeObserver(observer, scheme);
    }
    // The recorder sees each layer's input before the quantizer's transform: quantize it the same way.
    model.setInputRecorder([&](const std::string& layer, const torch::Tensor& input) {
        const torch::Tensor quantized = fakeQuantize(input, activations.grids().at(layer));
        observers.at(layer)->observe(outputs.at(layer)(quantized));
    });
    try {
        calibrateActivations(model, train, batches, batchSize, seed);
    } catch (...) {
        model.setInputRecorder({});
        throw;
    }
    model.setInputRecorder({});
    std::map<std::string, QuantParams> grids;
    for (const auto& [layer, watched] : observers)
        grids[layer] = quantParamsFor(watched->range(), scheme);
    return grids;
}

QuantizationAwareTraining::QuantizationAwareTraining(ModelBase& model, ActivationQuantizer& activations,
                                                     QatOptions options)
    : m_model(model), m_activations(activations), m_options(options)
{
    const auto modules = model.named_modules();
    for (const NormLink& link : model.norms()) {
        if (!modules.contains(link.norm))
            continue;
        m_norms.push_back(modules[link.norm].get());
        // A trained γ would scale the quantized weights off their grid; the shift β is a bias,
        // which stays in higher precision, and trains on.
        const auto parameters = modules[link.norm]->named_parameters(false);
        if (const auto* gamma = parameters.find("weight"); gamma && gamma->defined())
            gamma->requires_grad_(false);
    }
}

void QuantizationAwareTraining::quantizeInPlace()
{
    torch::NoGradGuard noGrad;
    for (const auto& layer : m_model.prunableLayers()) {
        torch::Tensor latent = layer.weight.detach().clone();
        if (!m_frozen || !m_grids.count(layer.name))
            m_grids[layer.name] = prunescope::weightGrids(latent, m_options.weights);
        layer.weight.copy_(fakeQuantizeWeight(latent, m_grids[layer.name]));
        m_latent[layer.name] = std::move(latent);
    }
}

void QuantizationAwareTraining::begin(TrainingStep&)
{
    m_frozen = m_options.freezeEpoch <= 0;
    m_activations.setMode(m_frozen ? ActivationMode::Quantize : ActivationMode::ObserveAndQuantize);
    quantizeInPlace();
}

void QuantizationAwareTraining::beforeForward(TrainingStep&)
{
    // Folded BatchNorm is an affine shift; in train mode it would normalise by batch statistics.
    for (auto* norm : m_norms)
        norm->eval();
}

void QuantizationAwareTraining::afterBackward(TrainingStep&)
{
    torch::NoGradGuard noGrad;
    for (const auto& layer : m_model.prunableLayers()) {
        const torch::Tensor& latent = m_latent.at(layer.name);
        if (torch::Tensor grad = layer.weight.mutable_grad(); grad.defined())
            grad.mul_(insideGrid(latent, m_grids.at(layer.name)));
        layer.weight.copy_(latent);
    }
}

void QuantizationAwareTraining::afterStep(TrainingStep&)
{
    quantizeInPlace();
}

bool QuantizationAwareTraining::afterEpoch(TrainingStep& step, EpochMetrics&)
{
    if (!m_frozen && step.epoch + 1 >= m_options.freezeEpoch) {
        m_frozen = true;
        m_activations.setMode(ActivationMode::Quantize);
    }
    return true;
}

}  // namespace prunescope
