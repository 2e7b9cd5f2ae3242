// Rounds of prune → (reset to θ0 or rewind to θk) → train, from the trained dense network; each
// round is one point on the accuracy/sparsity curve, optionally with a random re-init control.
#include "experiment/ScheduleDriver.h"

#include <torch/torch.h>

namespace prunescope {
namespace {

class IterativeDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod& method,
                         const ParamMap& params) const override
    {
        const IterativePlan plan = method.iterativePlan(params);
        const int perRound = plan.trainWithDenseRecipe ? config.denseTraining.epochs : config.fineTuning.epochs;
        return plan.rounds * perRound * (plan.randomReinitControl ? 2 : 1)
            + (plan.reset == IterativePlan::Reset::Rewind ? plan.rewindEpoch : 0);
    }

    RecipeUse recipeUse(const PruningMethod& method, const ParamMap& params) const override
    {
        return {.fineTuning = !method.iterativePlan(params).trainWithDenseRecipe, .batchNormRecalibration = false};
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        const ExperimentConfig& config = run.config;
        const IterativePlan plan = run.method.iterativePlan(run.params);
        ModelBase& model = *start.model;
        run.progress.finishStage(kSmallStageUnits);
        std::shared_ptr<ModelBase> resetState = start.initial;
        if (plan.reset == IterativePlan::Reset::Rewind && plan.rewindEpoch > 0) {
            // θk: the first k epochs of the dense run, replayed (training is deterministic).
            resetState = createModel(config.model, run.data.shape);
            copyModelState(*resetState, *start.initial);
            run.train(*resetState, config.denseTraining, "rewind", RunStage::DenseTraining, nullptr, /*quiet=*/true,
                      plan.rewindEpoch);
        }
        ScheduleOutcome outcome;
        outcome.deployed = start.model;
        const TrainRecipe& recipe = plan.trainWithDenseRecipe ? config.denseTraining : config.fineTuning;
        for (int round = 1; round <= plan.rounds; ++round) {
            outcome.masks = run.computeMasks(model, &outcome.masks, round);
            outcome.masks.applyToWeights(model);
            outcome.prunedTestAccuracy = run.test(model).accuracy;
            if (plan.reset != IterativePlan::Reset::None) {
                copyModelState(model, *resetState);
                outcome.masks.applyToWeights(model);
                run.startNewSegment();  // each round retrains from θ0 (or θk): a curve of its own
            }
            const std::string phase = "round " + std::to_string(round);
            run.train(model, recipe, phase, RunStage::FineTuning, &outcome.masks);
            outcome.final = run.test(model);
            PruningStep step = stepOf(round, model, outcome.masks);
            warnAboutCollapse(step, run.observer);
            step.metrics = {{"test_accuracy", outcome.final.accuracy}, {"test_loss", outcome.final.loss}};
            if (plan.randomReinitControl) {
                // The control: the same mask, a fresh random initialisation, the same training.
                torch::manual_seed(config.seed + 1000003ull * uint64_t(round));
                std::shared_ptr<ModelBase> control = createModel(config.model, run.data.shape);
                run.train(*control, recipe, "control " + std::to_string(round), RunStage::FineTuning, &outcome.masks,
                          /*quiet=*/true);
                step.metrics["control_test_accuracy"] = run.test(*control).accuracy;
            }
            int64_t kept = 0, total = 0;
            for (const auto& layer : step.layers) {
                kept += layer.nonzeros;
                total += layer.parameters;
            }
            run.observer.onLog(phase + ": " + percent(double(kept) / double(std::max<int64_t>(total, 1)))
                               + " of the weights left, test accuracy " + percent(outcome.final.accuracy)
                               + (plan.randomReinitControl
                                      ? ", random re-init control " + percent(step.metrics["control_test_accuracy"])
                                      : std::string()));
            run.observer.onPruningStep(step);
            run.checkCancel();
        }
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makeIterativeDriver()
{
    return std::make_unique<IterativeDriver>();
}

}  // namespace prunescope
