#pragma once
// Pruning at initialisation: masks from the untrained network, then the sparse net trains.

#include "methods/PruningMethod.h"

namespace prunescope {

struct SnipOptions {
    double sparsity = 0;
    int64_t batchSize = 0;  // training images in the scoring batch
    bool includeClassifier = false;
    static SnipOptions from(const ParamMap& params);
};

struct GraspOptions {
    double sparsity = 0;
    int64_t batchSize = 0;
    double temperature = 0;  // the logits are divided by it before the loss
    bool includeClassifier = false;
    static GraspOptions from(const ParamMap& params);
};

struct SynflowOptions {
    double sparsity = 0;
    int64_t rounds = 0;  // scoring rounds on the exponential schedule
    bool includeClassifier = false;
    static SynflowOptions from(const ParamMap& params);
};

class SnipPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::BeforeTraining; }
    void parseOptions(const ParamMap& params) const override { SnipOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

class GraspPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::BeforeTraining; }
    void parseOptions(const ParamMap& params) const override { GraspOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

class SynflowPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::BeforeTraining; }
    void parseOptions(const ParamMap& params) const override { SynflowOptions::from(params); }
    MaskSet computeMasks(const PruningContext& context) override;
};

}  // namespace prunescope
