#pragma once

#include "methods/PruningMethod.h"

namespace prunescope {

struct GlobalMagnitudeOptions {
    double sparsity = 0;
    bool includeClassifier = false;
    static GlobalMagnitudeOptions from(const ParamMap& params);
};

// Layer-wise magnitude and random pruning: one sparsity, overridden per layer.
struct LayerwiseSparsityOptions {
    double sparsity = 0;
    std::string layerSparsity;  // "fc1=0.9, conv1=0.5"; empty: `sparsity` everywhere
    bool includeClassifier = false;
    static LayerwiseSparsityOptions from(const ParamMap& params);
};

// The smallest |w| of each layer to be pruned, each layer by its own sparsity (Han et al. 2015):
// layer-wise magnitude pruning, also Deep Compression's first stage.
MaskSet layerwiseMagnitudeMasks(const ModelBase& model, const LayerwiseSparsityOptions& options);

// Zeroes the smallest |w| across all pruned layers at once (one global threshold).
class GlobalMagnitudePruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { GlobalMagnitudeOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

// Zeroes the same fraction of smallest |w| in every pruned layer.
class LayerwiseMagnitudePruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { LayerwiseSparsityOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    MaskSet computeMasks(const PruningContext& context) override;
};

// Throws std::invalid_argument when `options.layerSparsity` names a layer the model does not
// prune or a fraction outside [0, 1]: checked before a run is stored.
void checkLayerSparsities(const ModelBase& model, const LayerwiseSparsityOptions& options);

// The baseline: a uniformly random subset of each layer, at the layer-wise density.
class RandomPruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { LayerwiseSparsityOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override
    {
        checkLayerSparsities(model, LayerwiseSparsityOptions::from(params));
    }
    MaskSet computeMasks(const PruningContext& context) override;
};

}  // namespace prunescope
