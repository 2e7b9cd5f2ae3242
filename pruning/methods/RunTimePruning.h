#pragma once
// Run-time pruning: Feature Boosting and Suppression (Gao, Zhao, Dudziak, Mullins & Xu, ICLR
// 2019). A small saliency predictor per gateable conv layer looks at the layer's input (its
// channel means) and keeps, per input, the k channels it rates highest, scaled by their saliency
// (boosting); the others are not computed (suppression), nor read by the next layer.

#include "methods/PruningMethod.h"

namespace prunescope {

struct FeatureBoostingOptions {
    double density = 0;  // fraction of each gated layer's channels kept per input (the trained one)
    double lambda = 0;  // strength of the L1 penalty on the saliencies
    std::vector<double> evalDensities;  // densities reported after training
    // Throws std::invalid_argument for eval_densities that are not densities in (0, 1].
    static FeatureBoostingOptions from(const ParamMap& params);
};

class FeatureBoostingPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::RunTime; }
    void parseOptions(const ParamMap& params) const override { FeatureBoostingOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<RunTimeGate> runTimeGate(const PruningContext& context) override;
};

// Parses "0.25, 0.5, 1" into densities in (0, 1]; throws std::invalid_argument naming `param`.
std::vector<double> parseDensities(const std::string& param, const std::string& text);

}  // namespace prunescope
