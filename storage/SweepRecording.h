#pragma once
// A sweep: one base config over methods × sparsities × seeds, each point a stored run tied to the
// sweep. The CLI's `sweep` and the window's sweep dialog expand and record it the same way here.

#include "RunStore.h"
#include "core/ExperimentConfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope {

struct SweepPlan {
    std::string name = "sweep";
    ExperimentConfig base;  // model, data, recipes, latency; its method and seed are replaced
    std::vector<std::string> methods;
    std::vector<double> sparsities;  // the 'sparsity' parameter each method is run at
    std::vector<uint64_t> seeds;
};

// The runs of the plan, seed by seed, then method by method, then sparsity: each the base config
// with the method, its parameters resolved from {"sparsity": s} (the others at their defaults),
// the seed and a name such as "snip 90.0 % seed 2". Throws std::invalid_argument naming the
// method when it has no 'sparsity' parameter or the value is out of its range, and when the plan
// has no methods, sparsities or seeds.
std::vector<ExperimentConfig> sweepPoints(const SweepPlan& plan);

// Records the sweep (its name and its plan as JSON) and returns its id; the runs then pass it to
// recordRun.
int64_t beginSweep(RunStore& store, const SweepPlan& plan);

}  // namespace prunescope
