#pragma once
// A pruning method plugs into the experiment's lifecycle instead of owning a training loop.
// This first interface covers one-shot pruning after training; later families (before and
// during training, iterative) add hooks here.

#include "data/Dataset.h"
#include "experiment/ExperimentConfig.h"
#include "masks/MaskSet.h"
#include "models/Models.h"

#include <memory>
#include <string>
#include <vector>

namespace prunescope {

struct PruningContext {
    ModelBase& model;
    const ParamMap& params;  // resolved against the method's schema
    const DataSplits& data;
    uint64_t seed = 0;
};

class PruningMethod {
public:
    virtual ~PruningMethod() = default;
    // Computes the masks to compose with the current ones, for the trained model.
    virtual MaskSet computeMasks(const PruningContext& context) = 0;
};

// Throws std::invalid_argument for an unknown id.
std::unique_ptr<PruningMethod> createPruningMethod(const std::string& id);

// The layers a method may prune: all prunable layers, minus the classifier unless the
// "include_classifier" parameter is true.
std::vector<PrunableLayer> layersToPrune(const ModelBase& model, const ParamMap& params);

double doubleParam(const ParamMap& params, const std::string& name);
bool boolParam(const ParamMap& params, const std::string& name);

}  // namespace prunescope
