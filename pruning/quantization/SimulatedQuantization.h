#pragma once
// Simulated int8 (or narrower) inference and quantization-aware training on a zoo model: the
// activations entering every prunable layer are fake-quantized through ModelBase's input
// transform, the weights are replaced by their quantized values. LibTorch 1.13's C++ API has the
// quantized and fake-quantize operators but none of PyTorch's prepare/convert/QAT workflow;
// this is that workflow.

#include "data/Dataset.h"
#include "models/Models.h"
#include "quantization/WeightQuantization.h"
#include "train/TrainingController.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>

namespace prunescope {

struct ActivationQuantOptions {
    // Activations: 8-bit affine (uint8, as LibTorch's quantized operators take them).
    QuantScheme scheme{8, false};
    ObserverOptions observer;
};

enum class ActivationMode {
    Observe,  // calibration: the observers watch, the activations pass unchanged
    Quantize,  // the observers are frozen; activations are fake-quantized on their grids
    ObserveAndQuantize,  // quantization-aware training before the freeze: both
};

// Installs itself as the model's input transform; removes it when destroyed. One observer per
// prunable layer's input, created on the layer's first input.
class ActivationQuantizer {
public:
    ActivationQuantizer(ModelBase& model, ActivationQuantOptions options);
    ~ActivationQuantizer();
    ActivationQuantizer(const ActivationQuantizer&) = delete;
    ActivationQuantizer& operator=(const ActivationQuantizer&) = delete;

    // Entering Quantize fixes every layer's grid from its observer (computed once: the MSE and
    // percentile observers are costly).
    void setMode(ActivationMode mode);
    ActivationMode mode() const { return m_mode; }
    // The grid of each layer's input, as last fixed (Quantize) or last used.
    const std::map<std::string, QuantParams>& grids() const { return m_grids; }

private:
    torch::Tensor transform(const std::string& layer, const torch::Tensor& input);
    Observer& observerOf(const std::string& layer);

    ModelBase& m_model;
    ActivationQuantOptions m_options;
    ActivationMode m_mode = ActivationMode::Observe;
    std::map<std::string, std::unique_ptr<Observer>> m_observers;
    std::map<std::string, QuantParams> m_grids;
};

// Runs `batches` seeded training batches through the model in eval mode without gradients, so
// that the quantizer (in Observe mode) sees the activations. Returns the batches run.
int calibrateActivations(ModelBase& model, const TensorDataset& train, int batches, int64_t batchSize, uint64_t seed,
                         const std::atomic<bool>* cancel = nullptr);

// Every prunable layer's output range on `batches` seeded training batches (eval mode), computed
// from its fake-quantized input (the quantizer must be in Quantize mode), its weights as they are,
// its bias and the shift of a folded BatchNorm after it: what the real int8 operators requantize
// their outputs to. The grids are 8-bit affine, chosen by `observer`.
std::map<std::string, QuantParams> calibrateLayerOutputs(ModelBase& model, const ActivationQuantizer& activations,
                                                         const ObserverOptions& observer, const TensorDataset& train,
                                                         int batches, int64_t batchSize, uint64_t seed);

struct QatOptions {
    WeightQuantOptions weights;
    // After this many epochs (1-based count) the weight grids and the activation observers stop
    // moving: the network trains its last epochs on the grids it will be deployed with.
    int freezeEpoch = 2;
};

// Quantization-aware training as a TrainingController. The model keeps full-precision "latent"
// weights that the optimizer updates; each forward pass sees their quantized values (put in
// place after every step), and the gradient computed at the quantized weights is applied to the
// latent ones where they lie inside their grid and dropped where the grid clips them (the
// straight-through estimator). BatchNorm is folded before (foldBatchNorm), kept in eval mode and its
// γ frozen (only its shift trains).
// When training ends the model holds the quantized weights.
class QuantizationAwareTraining final : public TrainingController {
public:
    QuantizationAwareTraining(ModelBase& model, ActivationQuantizer& activations, QatOptions options);

    void begin(TrainingStep& step) override;
    void beforeForward(TrainingStep& step) override;
    void afterBackward(TrainingStep& step) override;
    void afterStep(TrainingStep& step) override;
    bool afterEpoch(TrainingStep& step, EpochMetrics& metrics) override;

    bool frozen() const { return m_frozen; }
    const std::map<std::string, LayerGrids>& weightGrids() const { return m_grids; }

private:
    void quantizeInPlace();

    ModelBase& m_model;
    ActivationQuantizer& m_activations;
    QatOptions m_options;
    bool m_frozen = false;
    std::vector<torch::nn::Module*> m_norms;
    std::map<std::string, torch::Tensor> m_latent;
    std::map<std::string, LayerGrids> m_grids;
};

}  // namespace prunescope
