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

// GMP and movement pruning: the sparsity rises along the cubic schedule, given in fractions of
// the training phase.
struct GradualPruningOptions {
    double sparsity = 0;  // s_f
    double initialSparsity = 0;  // s_i
    double start = 0;  // t₀
    double end = 0;  // t₀ + nΔt
    int64_t frequency = 0;  // optimizer steps between mask updates (Δt)
    bool globalScope = false;  // one ranking over all layers instead of every layer at s_t
    bool includeClassifier = false;
    // Also checks that end is after start and that s_i does not exceed s_f.
    static GradualPruningOptions from(const ParamMap& params);
};

class GradualMagnitudePruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    void parseOptions(const ParamMap& params) const override { GradualPruningOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;
};

enum class SparseGrowth { Random, Gradient };

// SET (random regrowth) and RigL (gradient regrowth).
struct DynamicSparseOptions {
    double sparsity = 0;
    std::string distribution;  // per-layer densities: "erk" or "uniform"
    double updateFraction = 0;  // SET: ζ; RigL: α, cosine-decayed
    int64_t updateInterval = 1;  // RigL: optimizer steps between updates (SET: every epoch)
    double end = 1.0;  // RigL: fraction of training after which the mask stays fixed
    bool includeClassifier = false;
    static DynamicSparseOptions from(const ParamMap& params, SparseGrowth growth);
};

// SET and RigL share the machinery; they differ in how they regrow and how often they update.
class DynamicSparseTrainer : public PruningMethod {
public:
    using Growth = SparseGrowth;
    explicit DynamicSparseTrainer(Growth growth) : m_growth(growth) {}
    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    void parseOptions(const ParamMap& params) const override { DynamicSparseOptions::from(params, m_growth); }
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;

private:
    Growth m_growth;
};

class MovementPruner : public PruningMethod {
public:
    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    void parseOptions(const ParamMap& params) const override { GradualPruningOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;
};

}  // namespace prunescope
