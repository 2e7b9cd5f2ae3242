#pragma once
// Post-training pruning from calibration activations: Wanda's |W|·‖X‖ score and an
// OBS/SparseGPT-style least-squares reconstruction of the kept weights.

#include "models/Models.h"

#include <torch/torch.h>

namespace prunescope {

// A layer's inputs as a matrix [samples (× positions), in-features], the features ordered like
// the weight's [out, in × kh × kw] columns (convolutions are unfolded with their geometry).
torch::Tensor inputMatrix(const PrunableLayer& layer, const torch::Tensor& input);

// Wanda (Sun et al., ICLR 2024): score |W_ij|·‖X_j‖₂; each output row keeps its largest
// (1 − sparsity) fraction. weight2d is [out, features], inputs [n, features].
torch::Tensor wandaMask(const torch::Tensor& weight2d, const torch::Tensor& inputs, double sparsity);

// For each output row, the kept weights that best reproduce the dense row's outputs on the
// calibration inputs: argmin ‖X_S w_S − X w‖² + λ‖w_S‖², λ = damping × mean(diag XᵀX).
// Pruned entries are zero in the result.
torch::Tensor reconstructWeights(const torch::Tensor& weight2d, const torch::Tensor& mask2d,
                                 const torch::Tensor& inputs, double damping);

}  // namespace prunescope
