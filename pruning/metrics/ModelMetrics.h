#pragma once
// Size and compute of a (masked) model, per layer and in total (ShrinkBench practice).
// MACs count the prunable conv and linear layers, which dominate these networks; BatchNorm,
// pooling, activations and residual additions are not counted.

#include "core/RunEvents.h"
#include "masks/MaskSet.h"
#include "models/Models.h"

#include <vector>

namespace prunescope {

// One entry per prunable layer, in forward order. nonzeros counts the weight's actual non-zero
// elements; "pruned" tells whether the mask set covers the layer.
std::vector<LayerStats> measureLayers(const ModelBase& model, const MaskSet& masks);

// Fills the size and compute fields of summary: parameters, non-zeros, sparsity, compression,
// dense and effective MACs, theoretical speedup, dense and sparse bytes.
void measureModel(const ModelBase& model, const MaskSet& masks, RunSummary& summary);

// Bytes of a weight tensor stored sparsely as a bitmap (1 bit per element) + fp32 non-zeros.
int64_t bitmapSparseBytes(int64_t elements, int64_t nonzeros);

}  // namespace prunescope
