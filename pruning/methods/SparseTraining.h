#pragma once
// Unstructured pruning during training: the mask changes while the network learns.
// - Gradual magnitude pruning (Zhu & Gupta, 2017): sparsity rises along a cubic schedule.
// - Dynamic sparse training, SET (Mocanu et al., 2018) and RigL (Evci et al., 2020): the sparsity
//   stays at its target from the first step while connections are dropped and regrown.
// - Movement pruning (Sanh, Wolf & Rush, 2020): learned mask scores with a straight-through
//   estimator.

#include "methods/PruningMethod.h"

#include <map>
#include <string>
#include <vector>

namespace prunescope {

// Zhu & Gupta's automated gradual pruning: the sparsity at optimizer step `step` when pruning
// starts at `start`, reaches `finalSparsity` at `end`, and the mask is updated every `frequency`
// steps in between: s = s_f + (s_i − s_f)(1 − p)³, p = the progress at the last update. 0 before
// `start` (dense), s_f from `end` on.
double agpSparsity(double initialSparsity, double finalSparsity, int64_t step, int64_t start, int64_t end,
                   int64_t frequency);

// Erdős–Rényi-kernel layer densities (Evci et al.): density ∝ (Σ dims)/(Π dims), scaled so the
// layers together keep (1 − sparsity) of their weights; a layer that would exceed 1 is dense and
// the rest are rescaled. "uniform" gives every layer 1 − sparsity.
std::map<std::string, double> sparseLayerDensities(const std::vector<PrunableLayer>& layers, double sparsity,
                                                   const std::string& distribution);

// RigL's update fraction at `step`: α/2 · (1 + cos(π · step / end)); 0 from `end` on.
double cosineUpdateFraction(double alpha, int64_t step, int64_t end);

class GradualMagnitudePruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;
};

// SET and RigL share the machinery; they differ in how they regrow and how often they update.
class DynamicSparseTrainer : public PruningMethod {
public:
    enum class Growth { Random, Gradient };
    explicit DynamicSparseTrainer(Growth growth) : m_growth(growth) {}
    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;

private:
    Growth m_growth;
};

class MovementPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;
};

}  // namespace prunescope
