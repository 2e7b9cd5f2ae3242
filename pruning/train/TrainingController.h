#pragma once
// Hooks for methods that act while the network trains: gradual pruning, dynamic sparse training,
// sparsity regularisation, learned thresholds, early-bird tickets. The trainer owns the loop and
// calls these at fixed points of every step; the method changes masks, gradients or the loss.

#include "core/RunEvents.h"
#include "masks/MaskSet.h"
#include "models/Models.h"

#include <torch/torch.h>

namespace prunescope {

// Where the training loop is when a hook runs.
struct TrainingStep {
    ModelBase& model;
    // Masks in force. The trainer zeroes masked gradients before the optimizer step and masked
    // weights after it, so a hook that changes a mask in afterStep() starts a regrown weight at 0.
    MaskSet& masks;
    int epoch = 0;  // 0-based
    int64_t step = 0;  // optimizer steps taken before the current one
    int64_t stepsPerEpoch = 0;
    int64_t totalSteps = 0;  // of the whole phase as planned
    double learningRate = 0;
};

class TrainingController {
public:
    virtual ~TrainingController() = default;
    // Tensors the controller owns that train along with the model, under the recipe's optimizer
    // (FBS's saliency predictors: not part of the model, whose checkpoint stays a zoo network).
    virtual std::vector<torch::Tensor> parameters() { return {}; }
    // Before the first batch (e.g. a random sparse initialisation).
    virtual void begin(TrainingStep&) {}
    // Before each batch's forward pass, after model.train() (quantization-aware training puts
    // the quantized weights in place here and keeps folded BatchNorm in eval mode).
    virtual void beforeForward(TrainingStep&) {}
    // A term added to the cross-entropy (regularisation); undefined = none.
    virtual torch::Tensor penalty(TrainingStep&) { return {}; }
    // After backward, before masking and the optimizer step: the gradients are still dense.
    virtual void afterBackward(TrainingStep&) {}
    // After the optimizer step and before the masks are applied to the weights.
    virtual void afterStep(TrainingStep&) {}
    // After each epoch's validation; may add curves to metrics.extra. false = stop training.
    virtual bool afterEpoch(TrainingStep&, EpochMetrics&) { return true; }
    // After the last epoch (also after an early stop).
    virtual void end(TrainingStep&) {}
};

}  // namespace prunescope
