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

IterativePlan LotteryTicketPruner::iterativePlan(const ParamMap& params) const
{
    IterativePlan plan;
    plan.rounds = int(intParam(params, "rounds"));
    plan.reset = stringParam(params, "reset") == "rewind" ? IterativePlan::Reset::Rewind : IterativePlan::Reset::Init;
    plan.rewindEpoch = int(intParam(params, "rewind_epoch"));
    plan.randomReinitControl = boolParam(params, "control");
    plan.trainWithDenseRecipe = true;
    return plan;
}

MaskSet LotteryTicketPruner::computeMasks(const PruningContext& context)
{
    // Frankle & Carbin prune hidden layers globally at `rate` and the output layer on its own at
    // a lower rate: it is small, and pruning it as hard silences classes.
    std::vector<PrunableLayer> hidden, output;
    for (const auto& layer : context.model.prunableLayers())
        (layer.isClassifier ? output : hidden).push_back(layer);
    MaskSet masks = pruneRemainingByMagnitude(hidden, context.current, doubleParam(context.params, "rate"));
    const double outputRate = doubleParam(context.params, "output_rate");
    if (outputRate > 0) {
        const MaskSet outputMasks = pruneRemainingByMagnitude(output, context.current, outputRate);
        for (const auto& [name, mask] : outputMasks.masks())
            masks.compose(name, mask);
    }
    return masks;
}

IterativePlan IterativeMagnitudePruner::iterativePlan(const ParamMap& params) const
{
    IterativePlan plan;
    plan.rounds = int(intParam(params, "rounds"));
    plan.reset = IterativePlan::Reset::None;
    return plan;
}

MaskSet IterativeMagnitudePruner::computeMasks(const PruningContext& context)
{
    return pruneRemainingByMagnitude(layersToPrune(context.model, context.params), context.current,
                                     doubleParam(context.params, "rate"));
}

}  // namespace prunescope
