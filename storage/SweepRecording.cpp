#include "SweepRecording.h"

#include "core/MethodInfo.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace prunescope {

std::vector<ExperimentConfig> sweepPoints(const SweepPlan& plan)
{
    if (plan.methods.empty() || plan.sparsities.empty() || plan.seeds.empty())
        throw std::invalid_argument("a sweep needs at least one method, one sparsity and one seed");
    for (double sparsity : plan.sparsities)
        if (!std::isfinite(sparsity))
            throw std::invalid_argument("a sparsity of the sweep is not a number (give fractions such as 0.5, 0.9)");
    std::vector<ExperimentConfig> points;
    for (uint64_t seed : plan.seeds)
        for (const auto& method : plan.methods)
            for (double sparsity : plan.sparsities) {
                ExperimentConfig config = plan.base;
                config.seed = seed;
                config.method = method;
                const MethodInfo& info = methodInfo(method);
                bool hasSparsity = false;
                for (const auto& spec : info.params)
                    hasSparsity = hasSparsity || spec.name == "sparsity";
                if (!hasSparsity)
                    throw std::invalid_argument("method '" + method
                                                + "' has no 'sparsity' parameter (a sweep varies it; structured "
                                                  "methods set channel_ratio instead)");
                config.methodParams = resolveParams(info, {{"sparsity", sparsity}});
                char name[64];
                std::snprintf(name, sizeof name, " %.1f %% seed ", sparsity * 100);
                config.name = method + name + std::to_string(seed);
                points.push_back(config);
            }
    return points;
}

int64_t beginSweep(RunStore& store, const SweepPlan& plan)
{
    const nlohmann::json spec = {{"methods", plan.methods},
                                 {"sparsities", plan.sparsities},
                                 {"seeds", plan.seeds},
                                 {"base", nlohmann::json::parse(toJson(plan.base))}};
    return store.createSweep(plan.name, spec.dump());
}

}  // namespace prunescope
