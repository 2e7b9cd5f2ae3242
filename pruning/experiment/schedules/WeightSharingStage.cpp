#include "experiment/schedules/WeightSharingStage.h"

namespace prunescope {

void shareWeightsAfterFineTuning(const RunContext& run, const CompressionPlan& plan, ModelBase& model,
                                 const MaskSet& masks, int step, ScheduleOutcome& outcome)
{
    run.observer.onLog("after pruning and fine-tuning: test accuracy " + percent(outcome.final.accuracy));
    std::unique_ptr<CentroidFineTuning> fineTuning = run.askMethod(
        model, [](PruningMethod& m, const PruningContext& context) { return m.shareWeights(context); }, &masks);
    if (!fineTuning)
        throw std::logic_error("method '" + run.config.method + "' plans weight sharing but shares no weights");
    run.observer.onLog("after weight sharing, before centroid fine-tuning: test accuracy "
                       + percent(run.test(model).accuracy));
    run.checkCancel();
    if (plan.centroidEpochs > 0) {
        TrainRecipe recipe = run.config.fineTuning;
        recipe.epochs = plan.centroidEpochs;
        // The controller turns each weight's gradient into its cluster's sum and snaps the weights
        // back onto the centroids after every step; the masks keep pruned weights at zero.
        MaskSet held = masks;
        run.trainControlled(model, recipe, "centroids", *fineTuning, held, step);
        step += plan.centroidEpochs;
    }
    PruningStep shared = stepOf(step, model, masks);
    outcome.final = run.reportFinal(model, shared);
    run.observer.onLog("after centroid fine-tuning: test accuracy " + percent(outcome.final.accuracy));
    outcome.compressed = compressedNetworkOf(model, fineTuning->layers(), fineTuning->indexBits());
}

}  // namespace prunescope
