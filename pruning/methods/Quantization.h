#pragma once
// Quantization as methods of the catalogue (the survey's fusion of pruning with quantization):
// post-training quantization from calibration batches, and quantization-aware fine-tuning. Both
// fold BatchNorm first and simulate the quantized network exactly (fake-quantize operators);
// their schedule drivers (experiment/schedules/) run them.

#include "methods/PruningMethod.h"
#include "quantization/SimulatedQuantization.h"

namespace prunescope {

struct PtqOptions {
    WeightQuantOptions weights;
    ActivationQuantOptions activations;  // same observer as the weights
    int calibrationBatches = 0;
    int64_t calibrationBatchSize = 0;
    bool realInt8 = true;  // also run the network on LibTorch's int8 operators (accuracy, latency)
    static PtqOptions from(const ParamMap& params);
};

struct QatMethodOptions {
    QatOptions qat;
    ActivationQuantOptions activations;
    int calibrationBatches = 0;  // before training: the activation observers' starting ranges
    int64_t calibrationBatchSize = 0;
    static QatMethodOptions from(const ParamMap& params);
};

class PostTrainingQuantizer : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::PostTrainingQuantization; }
    void parseOptions(const ParamMap& params) const override { PtqOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
};

class QuantizationAwareTrainer : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::QuantizationAwareTraining; }
    void parseOptions(const ParamMap& params) const override { QatMethodOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
};

}  // namespace prunescope
