// Train dense, prune once (masks, or whole channels removed for real), fine-tune.
#include "experiment/ScheduleDriver.h"
#include "experiment/schedules/OneShotPruning.h"

namespace prunescope {
namespace {

class AfterTrainingDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod&, const ParamMap&) const override
    {
        return config.fineTuning.epochs;
    }

    RecipeUse recipeUse(const PruningMethod&, const ParamMap&) const override
    {
        return {.fineTuning = true, .batchNormRecalibration = true};
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        OneShotPruning pruned = pruneOnce(run, *start.model, /*mayRemoveChannels=*/true);
        ScheduleOutcome outcome;
        outcome.prunedTestAccuracy = pruned.prunedTestAccuracy;
        outcome.structured = pruned.thinner != nullptr;
        outcome.deployed = outcome.structured ? pruned.thinner : start.model;
        // A thinner network has no masks to hold: its removed channels are gone.
        outcome.final
            = run.fineTuneAndReport(*outcome.deployed, outcome.structured ? nullptr : &pruned.masks, pruned.step);
        outcome.masks = std::move(pruned.masks);
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makeAfterTrainingDriver()
{
    return std::make_unique<AfterTrainingDriver>();
}

}  // namespace prunescope
