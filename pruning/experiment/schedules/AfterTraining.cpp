// Train dense, prune once (masks, or whole channels removed for real), fine-tune.
#include "experiment/ScheduleDriver.h"
#include "experiment/schedules/OneShotPruning.h"
#include "experiment/schedules/WeightSharingStage.h"

namespace prunescope {
namespace {

class AfterTrainingDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod& method,
                         const ParamMap& params) const override
    {
        const std::optional<CompressionPlan> compression = method.compressionPlan(params);
        return config.fineTuning.epochs + (compression ? compression->centroidEpochs : 0);
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
        // A fusion method (Deep Compression) goes on from the fine-tuned pruned network: this hook is
        // the only difference, so its pruning step is exactly an after-training method's.
        if (const auto compression = run.method.compressionPlan(run.params); compression && !outcome.structured)
            shareWeightsAfterFineTuning(run, *compression, *outcome.deployed, pruned.masks, pruned.step.step + 1,
                                        outcome);
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
