#pragma once
// Scores that look at gradients rather than weights alone: the pruning-at-initialisation
// criteria. Each returns one score tensor per layer (shape of the weight); what "prune first"
// means differs per criterion and is stated at each function.

#include "criteria/Magnitude.h"
#include "masks/MaskSet.h"
#include "models/Models.h"

#include <torch/torch.h>

#include <vector>

namespace prunescope {

// SNIP (Lee et al., ICLR 2019): connection sensitivity |∂L/∂w ⊙ w| on one batch, which equals
// |∂L/∂c| for a multiplicative mask c at c = 1. Low score = prune first.
std::vector<NamedScores> snipScores(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                    const torch::Tensor& images, const torch::Tensor& labels);

// GraSP (Wang et al., ICLR 2020): S = −w ⊙ (H g), with H g the Hessian-gradient product of the
// loss (logits divided by a temperature, as in the reference implementation). Removing weights
// with HIGH scores preserves gradient flow best, so callers prune the highest.
std::vector<NamedScores> graspScores(ModelBase& model, const std::vector<PrunableLayer>& layers,
                                     const torch::Tensor& images, const torch::Tensor& labels, double temperature);

// SynFlow (Tanaka et al., NeurIPS 2020): data-free. With every parameter replaced by its absolute
// value (and masked weights zero) and an all-ones input, R = Σ output; score = |∂R/∂w ⊙ w|.
// Computed in double precision; the model's parameters are restored afterwards. Low = prune first.
std::vector<NamedScores> synflowScores(ModelBase& model, const std::vector<PrunableLayer>& layers, const MaskSet& masks,
                                       const std::vector<int64_t>& inputShape);

}  // namespace prunescope
