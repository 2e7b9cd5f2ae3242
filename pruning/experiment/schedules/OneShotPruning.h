#pragma once
// After-training and post-training pruning start alike: prune the trained network once (whole
// channels when the method chooses them), re-estimate BatchNorm, evaluate. They differ after
// that: one fine-tunes, the other does not retrain.

#include "experiment/RunContext.h"

#include <memory>

namespace prunescope {

struct OneShotPruning {
    MaskSet masks;
    PruningStep step;  // step 1, without metrics yet
    double prunedTestAccuracy = 0;
    std::shared_ptr<ModelBase> thinner;  // the network without the removed channels; null: none removed
};

// mayRemoveChannels: ask the method for whole channels first (after training); post-training
// methods only give masks.
OneShotPruning pruneOnce(const RunContext& run, ModelBase& model, bool mayRemoveChannels);

}  // namespace prunescope
