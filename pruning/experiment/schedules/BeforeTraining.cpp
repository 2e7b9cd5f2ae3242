// Score the initialised network, then train the sparse one from θ0 with the dense recipe.
#include "experiment/ScheduleDriver.h"

namespace prunescope {
namespace {

class BeforeTrainingDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod&, const ParamMap&) const override
    {
        return config.denseTraining.epochs;
    }

    // The sparse network trains from θ0 with the dense recipe: there is nothing to fine-tune.
    RecipeUse recipeUse(const PruningMethod&, const ParamMap&) const override
    {
        return {.fineTuning = false, .batchNormRecalibration = false};
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        ModelBase& model = *start.model;
        ScheduleOutcome outcome;
        outcome.deployed = start.model;
        copyModelState(model, *start.initial);
        outcome.masks = run.computeMasks(model, nullptr, 1);
        copyModelState(model, *start.initial);  // scoring must not leave traces (e.g. BN statistics)
        outcome.masks.applyToWeights(model);
        PruningStep step = stepOf(1, model, outcome.masks);
        warnAboutCollapse(step, run.observer);
        outcome.prunedTestAccuracy = run.test(model).accuracy;
        run.progress.finishStage(kSmallStageUnits);
        run.checkCancel();
        run.observer.onLog("training the sparse network from its initialisation (fine-tuning does not apply)");
        run.startNewSegment();
        run.train(model, run.config.denseTraining, "sparse", RunStage::FineTuning, &outcome.masks);
        outcome.final = run.reportFinal(model, step);
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makeBeforeTrainingDriver()
{
    return std::make_unique<BeforeTrainingDriver>();
}

}  // namespace prunescope
