#include "methods/Quantization.h"

#include <stdexcept>

namespace prunescope {
namespace {

WeightQuantOptions weightOptions(const ParamMap& params, ObserverOptions observer)
{
    WeightQuantOptions weights;
    weights.scheme.bits = int(intParam(params, "bits"));
    weights.scheme.symmetric = stringParam(params, "scheme") == "symmetric";
    weights.perChannel = stringParam(params, "granularity") == "per_channel";
    weights.observer = observer;
    return weights;
}

ObserverOptions observerOptions(const ParamMap& params)
{
    ObserverOptions observer;
    observer.kind = observerFromName(stringParam(params, "observer"));
    return observer;
}

// Activations pass through ModelBase's input transform, which a TorchScript model's graph
// does not apply: its quantized accuracy would be the fp32 one under another name.
void requireZooModel(const ModelBase& model)
{
    if (!model.declaresLayerGraph())
        throw std::invalid_argument("quantization needs a zoo model: a TorchScript model's activations "
                                    "cannot be fake-quantized here");
}

}  // namespace

PtqOptions PtqOptions::from(const ParamMap& params)
{
    PtqOptions options;
    ObserverOptions observer = observerOptions(params);
    observer.percentile = doubleParam(params, "percentile");
    options.weights = weightOptions(params, observer);
    options.activations.observer = observer;
    options.calibrationBatches = int(intParam(params, "calibration_batches"));
    options.calibrationBatchSize = intParam(params, "calibration_batch_size");
    options.realInt8 = boolParam(params, "real_int8");
    return options;
}

QatMethodOptions QatMethodOptions::from(const ParamMap& params)
{
    QatMethodOptions options;
    // Weights follow the latent weights' extremes each step (min-max); the activations' observer
    // is the method's, watched through training until the freeze.
    options.qat.weights = weightOptions(params, ObserverOptions{});
    options.qat.freezeEpoch = int(intParam(params, "freeze_epoch"));
    options.activations.observer = observerOptions(params);
    options.calibrationBatches = int(intParam(params, "calibration_batches"));
    options.calibrationBatchSize = 128;
    return options;
}

void PostTrainingQuantizer::checkApplicable(const ModelBase& model, const ParamMap& params) const
{
    PtqOptions::from(params);
    requireZooModel(model);
}

void QuantizationAwareTrainer::checkApplicable(const ModelBase& model, const ParamMap& params) const
{
    QatMethodOptions::from(params);
    requireZooModel(model);
}

}  // namespace prunescope
