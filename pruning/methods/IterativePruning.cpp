#include "methods/IterativePruning.h"

#include "criteria/Magnitude.h"

namespace prunescope {

MaskSet pruneRemainingByMagnitude(const std::vector<PrunableLayer>& layers, const MaskSet* current, double rate)
{
    torch::NoGradGuard noGrad;
    std::vector<NamedScores> scores;
    int64_t alreadyPruned = 0, remaining = 0;
    for (const auto& layer : layers) {
        torch::Tensor score = magnitudeScores(layer.weight);
        if (current && current->contains(layer.name)) {
            const torch::Tensor& mask = current->mask(layer.name);
            // Pruned weights rank below every survivor, so they are counted first and stay pruned.
            score = torch::where(mask == 0, torch::full_like(score, -1.0), score);
            const int64_t kept = mask.count_nonzero().item<int64_t>();
            alreadyPruned += mask.numel() - kept;
            remaining += kept;
        } else {
            remaining += score.numel();
        }
        scores.push_back({layer.name, score});
    }
    return maskLowestGloballyCount(scores, alreadyPruned + pruneCount(rate, remaining));
}

LotteryTicketOptions LotteryTicketOptions::from(const ParamMap& params)
{
    LotteryTicketOptions options;
    options.rounds = int(intParam(params, "rounds"));
    options.rate = doubleParam(params, "rate");
    options.outputRate = doubleParam(params, "output_rate");
    options.reset
        = stringParam(params, "reset") == "rewind" ? IterativePlan::Reset::Rewind : IterativePlan::Reset::Init;
    options.rewindEpoch = int(intParam(params, "rewind_epoch"));
    options.control = boolParam(params, "control");
    return options;
}

IterativeMagnitudeOptions IterativeMagnitudeOptions::from(const ParamMap& params)
{
    IterativeMagnitudeOptions options;
    options.rounds = int(intParam(params, "rounds"));
    options.rate = doubleParam(params, "rate");
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

IterativePlan LotteryTicketPruner::iterativePlan(const ParamMap& params) const
{
    const LotteryTicketOptions options = LotteryTicketOptions::from(params);
    IterativePlan plan;
    plan.rounds = options.rounds;
    plan.reset = options.reset;
    plan.rewindEpoch = options.rewindEpoch;
    plan.randomReinitControl = options.control;
    plan.trainWithDenseRecipe = true;
    return plan;
}

MaskSet LotteryTicketPruner::computeMasks(const PruningContext& context)
{
    const LotteryTicketOptions options = LotteryTicketOptions::from(context.params);
    // Frankle & Carbin prune hidden layers globally at `rate` and the output layer on its own at
    // a lower rate: it is small, and pruning it as hard silences classes.
    std::vector<PrunableLayer> hidden, output;
    for (const auto& layer : context.model.prunableLayers())
        (layer.isClassifier ? output : hidden).push_back(layer);
    MaskSet masks = pruneRemainingByMagnitude(hidden, context.current, options.rate);
    if (options.outputRate > 0) {
        const MaskSet outputMasks = pruneRemainingByMagnitude(output, context.current, options.outputRate);
        for (const auto& [name, mask] : outputMasks.masks())
            masks.compose(name, mask);
    }
    return masks;
}

IterativePlan IterativeMagnitudePruner::iterativePlan(const ParamMap& params) const
{
    IterativePlan plan;
    plan.rounds = IterativeMagnitudeOptions::from(params).rounds;
    plan.reset = IterativePlan::Reset::None;
    return plan;
}

MaskSet IterativeMagnitudePruner::computeMasks(const PruningContext& context)
{
    const IterativeMagnitudeOptions options = IterativeMagnitudeOptions::from(context.params);
    return pruneRemainingByMagnitude(layersToPrune(context.model, options.includeClassifier), context.current,
                                     options.rate);
}

}  // namespace prunescope
