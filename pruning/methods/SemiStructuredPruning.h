#pragma once

#include "methods/PruningMethod.h"

namespace prunescope {

struct NmOptions {
    int64_t n = 0;  // weights kept per group
    int64_t m = 0;  // group size
    bool skipIncompatible = false;  // leave a layer whose input size is not a multiple of m dense
    bool includeClassifier = false;
    static NmOptions from(const ParamMap& params);
};

struct KernelPatternOptions {
    bool includeClassifier = false;
    static KernelPatternOptions from(const ParamMap& params);
};

// N:M semi-structured magnitude pruning (NVIDIA ASP): N of every M consecutive input weights kept.
class NmPruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { NmOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

// Kernel-pattern pruning (PatDNN): each 3×3 kernel keeps the best of the four-entry patterns.
class KernelPatternPruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { KernelPatternOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

}  // namespace prunescope
