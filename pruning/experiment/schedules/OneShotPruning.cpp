#include "experiment/schedules/OneShotPruning.h"

namespace prunescope {

OneShotPruning pruneOnce(const RunContext& run, ModelBase& model, bool mayRemoveChannels)
{
    OneShotPruning result;
    const std::optional<ChannelSelection> selection = mayRemoveChannels ? run.selectChannels(model) : std::nullopt;
    const std::vector<ChannelGroup> groups = selection ? channelGroups(model) : std::vector<ChannelGroup>{};
    result.masks = selection ? channelMasks(model, groups, *selection) : run.computeMasks(model, nullptr, 1);
    result.masks.applyToWeights(model);
    result.step = stepOf(1, model, result.masks);
    warnAboutCollapse(result.step, run.observer);
    run.recalibrateBatchNorm(model);
    const Evaluation pruned = run.test(model);
    result.prunedTestAccuracy = pruned.accuracy;
    run.observer.onLog("after pruning, before fine-tuning: test accuracy " + percent(pruned.accuracy));
    // The masked network computes what the thinner one does; from here on the thinner one is
    // trained, evaluated, timed and saved.
    if (selection)
        result.thinner = run.removeChannels(model, groups, *selection);
    run.progress.finishStage(kSmallStageUnits);
    run.checkCancel();
    return result;
}

}  // namespace prunescope
