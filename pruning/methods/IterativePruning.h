#pragma once
// Iterative pruning after training: the lottery ticket procedure and plain iterative
// magnitude pruning. The runner drives the rounds (train, reset, evaluate) from iterativePlan().

#include "methods/PruningMethod.h"

namespace prunescope {

struct LotteryTicketOptions {
    int rounds = 0;
    double rate = 0;  // of the hidden layers' remaining weights, each round
    double outputRate = 0;  // of the output layer's remaining weights, each round
    IterativePlan::Reset reset = IterativePlan::Reset::Init;  // "init" (θ0) or "rewind" (θk)
    int rewindEpoch = 0;  // k
    bool control = false;  // also train each round's mask from a fresh initialisation
    static LotteryTicketOptions from(const ParamMap& params);
};

struct IterativeMagnitudeOptions {
    int rounds = 0;
    double rate = 0;  // of the remaining weights, each round
    bool includeClassifier = false;
    static IterativeMagnitudeOptions from(const ParamMap& params);
};

class LotteryTicketPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::Iterative; }
    void parseOptions(const ParamMap& params) const override { LotteryTicketOptions::from(params); }
    IterativePlan iterativePlan(const ParamMap& params) const override;
    MaskSet computeMasks(const PruningContext& context) override;
};

class IterativeMagnitudePruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::Iterative; }
    void parseOptions(const ParamMap& params) const override { IterativeMagnitudeOptions::from(params); }
    IterativePlan iterativePlan(const ParamMap& params) const override;
    MaskSet computeMasks(const PruningContext& context) override;
};

// Prunes `rate` of the still-unpruned weights of `layers` by global magnitude (already pruned
// weights stay pruned). Exposed for tests.
MaskSet pruneRemainingByMagnitude(const std::vector<PrunableLayer>& layers, const MaskSet* current, double rate);

}  // namespace prunescope
