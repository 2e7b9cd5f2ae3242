#pragma once
// After-training criteria that look at data: Taylor first-order importance (then fine-tuning),
// and the post-training methods that prune without retraining, from calibration activations.

#include "methods/PruningMethod.h"

#include <map>

namespace prunescope {

class TaylorPruner : public PruningMethod {
public:
    MaskSet computeMasks(const PruningContext& context) override;
};

class WandaPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::PostTraining; }
    MaskSet computeMasks(const PruningContext& context) override;
};

// Wanda's mask, then each output row's kept weights re-solved to reproduce the dense outputs.
class ReconstructionPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::PostTraining; }
    MaskSet computeMasks(const PruningContext& context) override;
};

// Every chosen layer's input on `images` (eval mode), as the [rows, features] matrix that
// matches the layer's [out, in × kh × kw] weight.
std::map<std::string, torch::Tensor> captureLayerInputs(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                                        const torch::Tensor& images);

}  // namespace prunescope
