#pragma once
// Iterative pruning after training: the lottery ticket procedure and plain iterative
// magnitude pruning. The runner drives the rounds (train, reset, evaluate) from iterativePlan().

#include "methods/PruningMethod.h"

namespace prunescope {

class LotteryTicketPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::Iterative; }
    IterativePlan iterativePlan(const ParamMap& params) const override;
    MaskSet computeMasks(const PruningContext& context) override;
};

class IterativeMagnitudePruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::Iterative; }
    IterativePlan iterativePlan(const ParamMap& params) const override;
    MaskSet computeMasks(const PruningContext& context) override;
};

// Prunes `rate` of the still-unpruned weights of `layers` by global magnitude (already pruned
// weights stay pruned). Exposed for tests.
MaskSet pruneRemainingByMagnitude(const std::vector<PrunableLayer>& layers, const MaskSet* current, double rate);

}  // namespace prunescope
