#pragma once
// Pruning at initialisation: masks from the untrained network, then the sparse net trains.

#include "methods/PruningMethod.h"

namespace prunescope {

class SnipPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::BeforeTraining; }
    MaskSet computeMasks(const PruningContext& context) override;
};

class GraspPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::BeforeTraining; }
    MaskSet computeMasks(const PruningContext& context) override;
};

class SynflowPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::BeforeTraining; }
    MaskSet computeMasks(const PruningContext& context) override;
};

}  // namespace prunescope
