#pragma once

#include "methods/PruningMethod.h"

namespace prunescope {

// Zeroes the smallest |w| across all pruned layers at once (one global threshold).
class GlobalMagnitudePruner : public PruningMethod {
public:
    MaskSet computeMasks(const PruningContext& context) override;
};

// Zeroes the same fraction of smallest |w| in every pruned layer.
class LayerwiseMagnitudePruner : public PruningMethod {
public:
    MaskSet computeMasks(const PruningContext& context) override;
};

// The baseline: a uniformly random subset of each layer, at the layer-wise density.
class RandomPruner : public PruningMethod {
public:
    MaskSet computeMasks(const PruningContext& context) override;
};

}  // namespace prunescope
