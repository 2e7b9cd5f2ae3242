// A training phase driven by the method's TrainingController (from θ0 with the dense recipe, or
// from the trained network with the fine-tuning recipe), then the method's channels are removed
// (structured) or its last masks kept, and the result is fine-tuned.
#include "experiment/ScheduleDriver.h"

#include <stdexcept>

namespace prunescope {
namespace {

class DuringTrainingDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod& method,
                         const ParamMap& params) const override
    {
        const DuringTrainingPlan during = method.duringTrainingPlan(params);
        return (during.epochs > 0 ? during.epochs
                                  : (during.fromTrained ? config.fineTuning : config.denseTraining).epochs)
            + config.fineTuning.epochs;
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        const ExperimentConfig& config = run.config;
        ModelBase& model = *start.model;
        run.progress.finishStage(kSmallStageUnits);
        const DuringTrainingPlan during = run.method.duringTrainingPlan(run.params);
        if (!during.fromTrained) {
            copyModelState(model, *start.initial);  // the same θ0 as the dense reference
            run.startNewSegment();
        }
        const std::unique_ptr<TrainingController> controller = run.askMethod(
            model, [](PruningMethod& m, const PruningContext& context) { return m.trainingController(context); });
        if (!controller)
            throw std::logic_error("method '" + config.method + "' prunes during training but has no controller");
        TrainRecipe recipe = during.fromTrained ? config.fineTuning : config.denseTraining;
        if (during.epochs > 0)
            recipe.epochs = during.epochs;
        MaskSet moving;
        const auto history = run.trainControlled(model, recipe, during.phase, *controller, moving, 1);
        if (int(history.size()) < recipe.epochs)
            run.observer.onLog(during.phase + " training stopped after epoch " + std::to_string(history.size()) + " of "
                               + std::to_string(recipe.epochs));
        run.checkCancel();

        // Structured methods now choose channels on the trained, regularised network.
        ScheduleOutcome outcome;
        const std::optional<ChannelSelection> selection = run.selectChannels(model);
        const std::vector<ChannelGroup> groups = selection ? channelGroups(model) : std::vector<ChannelGroup>{};
        outcome.masks = selection ? channelMasks(model, groups, *selection) : moving;
        outcome.masks.applyToWeights(model);
        PruningStep step = stepOf(int(moving.empty() ? 1 : history.size() + 1), model, outcome.masks);
        warnAboutCollapse(step, run.observer);
        outcome.prunedTestAccuracy = run.test(model).accuracy;
        run.observer.onLog("after " + during.phase + " training: test accuracy " + percent(outcome.prunedTestAccuracy));
        outcome.structured = selection.has_value();
        outcome.deployed = selection ? run.removeChannels(model, groups, *selection) : start.model;
        outcome.final = run.fineTuneAndReport(*outcome.deployed, selection ? nullptr : &outcome.masks, step);
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makeDuringTrainingDriver()
{
    return std::make_unique<DuringTrainingDriver>();
}

}  // namespace prunescope
