#include "experiment/RunContext.h"

#include "core/RunCancelled.h"
#include "metrics/ModelMetrics.h"

#include <sstream>

namespace prunescope {
namespace {

std::string widthsText(const ModelBase& before, const ModelBase& after)
{
    std::string text;
    const ModelWidths old = before.widths(), now = after.widths();
    for (const auto& layer : before.prunableLayers()) {
        if (old.at(layer.name) != now.at(layer.name))
            text += (text.empty() ? "" : ", ") + layer.name + " " + std::to_string(old.at(layer.name)) + "→"
                + std::to_string(now.at(layer.name));
    }
    return text.empty() ? "no channel removed" : text;
}

EpochMetrics inSegment(EpochMetrics metrics, int segment)
{
    metrics.segment = segment;
    return metrics;
}

}  // namespace

std::string percent(double fraction)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(2);
    out << fraction * 100.0 << " %";
    return out.str();
}

PruningStep stepOf(int number, const ModelBase& model, const MaskSet& masks)
{
    PruningStep step{number, measureLayers(model, masks), {}, {}};
    for (const auto& [layer, mask] : masks.masks())
        step.masks.push_back(masks.snapshot(layer));
    return step;
}

void warnAboutCollapse(const PruningStep& step, RunObserver& observer)
{
    for (const auto& layer : step.layers) {
        if (layer.pruned && layer.nonzeros == 0)
            observer.onLog("warning: layer " + layer.name
                           + " was pruned to nothing (layer collapse); "
                             "the network cannot pass signal through it");
    }
}

void RunContext::checkCancel() const
{
    if (cancel.load(std::memory_order_relaxed))
        throw RunCancelled();
}

void RunContext::recalibrateBatchNorm(ModelBase& model) const
{
    const int batches = config.bnRecalibrationBatches;
    const int norms = prunescope::recalibrateBatchNorm(model, data.train, batches, config.fineTuning.batchSize,
                                                       config.seed, &cancel);
    if (norms > 0)
        observer.onLog("BatchNorm statistics of " + std::to_string(norms) + " layers re-estimated on "
                       + std::to_string(batches) + " training batches");
}

std::vector<EpochMetrics> RunContext::train(ModelBase& model, const TrainRecipe& recipe, const std::string& phase,
                                            RunStage stage, const MaskSet* masks, bool quiet, int stopAfterEpochs) const
{
    const int epochs = stopAfterEpochs > 0 ? std::min(stopAfterEpochs, recipe.epochs) : recipe.epochs;
    TrainHooks hooks;
    hooks.cancel = &cancel;
    hooks.masks = masks;
    hooks.stopAfterEpochs = stopAfterEpochs;
    hooks.onBatch = [&](double fraction) {
        const int epoch = std::min(epochs, int(fraction * epochs) + 1);
        progress.report(stage, fraction, epochs,
                        phase + ", epoch " + std::to_string(epoch) + "/" + std::to_string(epochs));
    };
    if (!quiet)
        hooks.onEpoch = [&](const EpochMetrics& metrics) { observer.onEpoch(inSegment(metrics, segment)); };
    auto history = trainModel(model, data, recipe, phase, config.seed, hooks);
    progress.finishStage(epochs);
    return history;
}

std::vector<EpochMetrics> RunContext::trainControlled(ModelBase& model, const TrainRecipe& recipe,
                                                      const std::string& phase, TrainingController& controller,
                                                      MaskSet& masks, int firstStep) const
{
    TrainHooks hooks;
    hooks.cancel = &cancel;
    hooks.controller = &controller;
    hooks.controlledMasks = &masks;
    hooks.onBatch = [&](double fraction) {
        const int epoch = std::min(recipe.epochs, int(fraction * recipe.epochs) + 1);
        progress.report(RunStage::Pruning, fraction, recipe.epochs,
                        phase + ", epoch " + std::to_string(epoch) + "/" + std::to_string(recipe.epochs));
    };
    hooks.onEpoch = [&](const EpochMetrics& metrics) {
        observer.onEpoch(inSegment(metrics, segment));
        if (masks.empty())
            return;
        PruningStep step = stepOf(firstStep + metrics.epoch - 1, model, masks);
        step.metrics = {{"validation_accuracy", metrics.validationAccuracy}, {"epoch", double(metrics.epoch)}};
        observer.onPruningStep(step);
    };
    auto history = trainModel(model, data, recipe, phase, config.seed, hooks);
    progress.finishStage(recipe.epochs);
    return history;
}

Evaluation RunContext::test(ModelBase& model) const
{
    return evaluateModel(model, data.test, 1000, &cancel);
}

MaskSet RunContext::computeMasks(ModelBase& model, const MaskSet* current, int round) const
{
    const MaskSet computed = askMethod(
        model, [](PruningMethod& m, const PruningContext& context) { return m.computeMasks(context); }, current, round);
    MaskSet masks;
    if (current) {
        for (const auto& [layer, mask] : current->masks())
            masks.compose(layer, mask);
    }
    for (const auto& [layer, mask] : computed.masks())
        masks.compose(layer, mask);
    return masks;
}

std::optional<ChannelSelection> RunContext::selectChannels(ModelBase& model) const
{
    return askMethod(model, [](PruningMethod& m, const PruningContext& context) { return m.selectChannels(context); });
}

std::shared_ptr<ModelBase> RunContext::removeChannels(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                                                      const ChannelSelection& selection) const
{
    std::shared_ptr<ModelBase> thinner = prunescope::removeChannels(model, groups, selection);
    observer.onLog("channels removed: " + widthsText(model, *thinner));
    return thinner;
}

Evaluation RunContext::fineTuneAndReport(ModelBase& network, const MaskSet* masks, PruningStep& step) const
{
    if (config.fineTuning.epochs > 0)
        train(network, config.fineTuning, "finetune", RunStage::FineTuning, masks);
    return reportFinal(network, step);
}

Evaluation RunContext::reportFinal(ModelBase& network, PruningStep& step) const
{
    const Evaluation final = test(network);
    step.metrics = {{"test_accuracy", final.accuracy}, {"test_loss", final.loss}};
    observer.onPruningStep(step);
    return final;
}

}  // namespace prunescope
