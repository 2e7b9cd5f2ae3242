#pragma once
// Run-time pruning: Feature Boosting and Suppression (Gao, Zhao, Dudziak, Mullins & Xu, ICLR
// 2019). A small saliency predictor per gateable conv layer looks at the layer's input (its
// channel means) and keeps, per input, the k channels it rates highest, scaled by their saliency
// (boosting); the others are not computed (suppression), nor read by the next layer.

#include "methods/PruningMethod.h"

namespace prunescope {

class FeatureBoostingPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::RunTime; }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<RunTimeGate> runTimeGate(const PruningContext& context) override;
};

// Parses "0.25, 0.5, 1" into densities in (0, 1]; throws std::invalid_argument naming `param`.
std::vector<double> parseDensities(const std::string& param, const std::string& text);

}  // namespace prunescope
