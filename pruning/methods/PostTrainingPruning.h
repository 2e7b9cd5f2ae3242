#pragma once
// After-training criteria that look at data: Taylor first-order importance (then fine-tuning),
// and the post-training methods that prune without retraining, from calibration activations.

#include "methods/PruningMethod.h"

#include <map>

namespace prunescope {

struct TaylorOptions {
    double sparsity = 0;
    int64_t batches = 0;  // scoring batches averaged
    int64_t batchSize = 0;
    bool includeClassifier = false;
    static TaylorOptions from(const ParamMap& params);
};

struct WandaOptions {
    double sparsity = 0;
    int64_t calibrationSamples = 0;  // training images whose activations calibrate the method
    bool includeClassifier = false;
    static WandaOptions from(const ParamMap& params);
};

struct ReconstructionOptions {
    WandaOptions mask;  // the mask is Wanda's
    double damping = 0;  // λ as a fraction of the mean diagonal of XᵀX
    static ReconstructionOptions from(const ParamMap& params);
};

class TaylorPruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { TaylorOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

class WandaPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::PostTraining; }
    void parseOptions(const ParamMap& params) const override { WandaOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

// Wanda's mask, then each output row's kept weights re-solved to reproduce the dense outputs.
class ReconstructionPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::PostTraining; }
    void parseOptions(const ParamMap& params) const override { ReconstructionOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

// Every chosen layer's input on `images` (eval mode), as the [rows, features] matrix that
// matches the layer's [out, in × kh × kw] weight.
std::map<std::string, torch::Tensor> captureLayerInputs(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                                        const torch::Tensor& images);

}  // namespace prunescope
