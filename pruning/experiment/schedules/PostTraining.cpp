// Train dense, prune once from calibration data, and stop: the point is to prune without
// retraining.
#include "experiment/ScheduleDriver.h"
#include "experiment/schedules/OneShotPruning.h"

namespace prunescope {
namespace {

class PostTrainingDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig&, const PruningMethod&, const ParamMap&) const override { return 0; }

    RecipeUse recipeUse(const PruningMethod&, const ParamMap&) const override
    {
        return {.fineTuning = false, .batchNormRecalibration = true};
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        OneShotPruning pruned = pruneOnce(run, *start.model, /*mayRemoveChannels=*/false);
        run.observer.onLog("post-training method: no fine-tuning (the point is to prune without retraining)");
        ScheduleOutcome outcome;
        outcome.prunedTestAccuracy = pruned.prunedTestAccuracy;
        outcome.deployed = start.model;
        outcome.final = run.reportFinal(*start.model, pruned.step);
        outcome.masks = std::move(pruned.masks);
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makePostTrainingDriver()
{
    return std::make_unique<PostTrainingDriver>();
}

}  // namespace prunescope
