#pragma once

#include "methods/PruningMethod.h"

namespace prunescope {

// N:M semi-structured magnitude pruning (NVIDIA ASP): N of every M consecutive input weights kept.
class NmPruner : public PruningMethod {
public:
    MaskSet computeMasks(const PruningContext& context) override;
};

// Kernel-pattern pruning (PatDNN): each 3×3 kernel keeps the best of the four-entry patterns.
class KernelPatternPruner : public PruningMethod {
public:
    MaskSet computeMasks(const PruningContext& context) override;
};

}  // namespace prunescope
