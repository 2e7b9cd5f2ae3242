#pragma once
// Weight quantization of a zoo model's prunable layers (conv and linear), BatchNorm folded into
// them first, and the size the quantized network takes on disk.

#include "models/Models.h"
#include "quantization/Observers.h"

#include <map>
#include <string>
#include <vector>

namespace prunescope {

struct WeightQuantOptions {
    QuantScheme scheme;  // 8, 4 or 2 bits; symmetric or affine
    bool perChannel = true;  // one grid per output channel (row), or one for the whole tensor
    ObserverOptions observer;  // how each grid's range is chosen from the weights
};

// One layer's grids: a single one per tensor, or one per output channel.
struct LayerGrids {
    std::vector<QuantParams> grids;
    // The grid of output channel c.
    const QuantParams& of(int64_t channel) const { return grids.size() == 1 ? grids[0] : grids[size_t(channel)]; }
};

// The grids the observer picks for `weight` ([out, ...]).
LayerGrids weightGrids(const torch::Tensor& weight, const WeightQuantOptions& options);

// `weight` rounded to `grids` and back (fake_quantize_per_tensor/per_channel_affine).
torch::Tensor fakeQuantizeWeight(const torch::Tensor& weight, const LayerGrids& grids);

// 1 where a weight lies inside its channel's grid, 0 where the grid clips it: the
// straight-through estimator's gradient mask for weights held outside autograd.
torch::Tensor insideGrid(const torch::Tensor& weight, const LayerGrids& grids);

// Replaces every prunable layer's weight by its quantized values (in place, no autograd) and
// returns the grids by layer name.
std::map<std::string, LayerGrids> quantizeWeights(ModelBase& model, const WeightQuantOptions& options);

// Folds every BatchNorm the model declares (ModelBase::norms) into the layer before it: the
// layer's weights take the per-channel factor γ/√(σ² + ε), and the BatchNorm becomes the
// identity plus a shift (weight 1, mean 0, variance 1 − ε, bias = the folded shift), which keeps
// the layer's own bias and the network's structure as they are. In eval mode the outputs are
// unchanged; in train mode the folded BatchNorm would normalise again, so callers that train
// keep it in eval mode. Returns how many BatchNorm layers it folded.
int foldBatchNorm(ModelBase& model);

// Bytes on disk of the quantized network: bits × stored weights of every prunable layer (only
// the non-zeros plus a 1-bit mask when the layer is sparse enough for that to be smaller), a
// 4-byte scale and a 4-byte zero point per grid, and every other parameter (biases, BatchNorm
// shifts) at fp32. Buffers are left out, as in the fp32 sizes (metrics: 4 bytes a parameter).
int64_t quantizedBytes(const ModelBase& model, const std::map<std::string, LayerGrids>& grids, int bits);

}  // namespace prunescope
