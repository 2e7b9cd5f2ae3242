#include "methods/StructuredPruning.h"

#include "criteria/ChannelImportance.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace prunescope {
namespace {

std::vector<int64_t> keepHighest(const torch::Tensor& scores, int64_t keep)
{
    // Stable sort on descending score: ties keep the lower channel index.
    std::vector<int64_t> order(size_t(scores.numel()));
    std::iota(order.begin(), order.end(), 0);
    const torch::Tensor values = scores.to(torch::kFloat64).contiguous();
    const double* v = values.data_ptr<double>();
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return v[a] > v[b]; });
    order.resize(size_t(keep));
    std::sort(order.begin(), order.end());
    return order;
}

int64_t keptCount(int64_t channels, double removeFraction)
{
    return std::clamp<int64_t>(channels - int64_t(std::llround(removeFraction * double(channels))), 1, channels);
}

}  // namespace

ChannelSelection keepTopChannels(const std::vector<ChannelGroup>& groups, const std::vector<torch::Tensor>& scores,
                                 const std::map<std::string, double>& removeFraction)
{
    ChannelSelection selection;
    for (size_t g = 0; g < groups.size(); ++g) {
        const auto it = removeFraction.find(groups[g].name);
        if (!scores[g].defined() || it == removeFraction.end())
            continue;
        selection[groups[g].name] = keepHighest(scores[g], keptCount(groups[g].channels, it->second));
    }
    return selection;
}

ChannelSelection keepTopChannelsGlobally(const std::vector<ChannelGroup>& groups,
                                         const std::vector<torch::Tensor>& scores, double removeFraction,
                                         bool normalise)
{
    struct Candidate {
        double score;
        size_t group;
        int64_t channel;
    };
    std::vector<Candidate> candidates;
    for (size_t g = 0; g < groups.size(); ++g) {
        if (!scores[g].defined())
            continue;
        const torch::Tensor s = scores[g].to(torch::kFloat64);
        const double mean = s.mean().item<double>();
        const torch::Tensor normalised = normalise && mean > 0 ? s / mean : s;
        for (int64_t c = 0; c < groups[g].channels; ++c)
            candidates.push_back({normalised[c].item<double>(), g, c});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score < b.score; });
    const int64_t toRemove = int64_t(std::llround(removeFraction * double(candidates.size())));
    std::vector<std::vector<bool>> removed(groups.size());
    std::vector<int64_t> left(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
        removed[g].assign(size_t(groups[g].channels), false);
        left[g] = groups[g].channels;
    }
    int64_t count = 0;
    for (const auto& c : candidates) {
        if (count == toRemove)
            break;
        if (left[c.group] == 1)  // never empty a group: the network would be cut in two
            continue;
        removed[c.group][size_t(c.channel)] = true;
        --left[c.group];
        ++count;
    }
    ChannelSelection selection;
    for (size_t g = 0; g < groups.size(); ++g) {
        if (!scores[g].defined())
            continue;
        std::vector<int64_t> kept;
        for (int64_t c = 0; c < groups[g].channels; ++c) {
            if (!removed[g][size_t(c)])
                kept.push_back(c);
        }
        selection[groups[g].name] = std::move(kept);
    }
    return selection;
}

double macsAfterRemoval(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                        const ChannelSelection& selection)
{
    const auto thin = createModel(model.modelId(), model.inputShape(), widthsAfterRemoval(model, groups, selection));
    double macs = 0;
    for (const auto& layer : thin->prunableLayers())
        macs += layer.macsPerSample;
    return macs;
}

ChannelPruningOptions ChannelPruningOptions::from(const ParamMap& params, ChannelCriterion criterion)
{
    ChannelPruningOptions options;
    options.channelRatio = doubleParam(params, "channel_ratio");
    options.layerRatio = stringParam(params, "layer_ratio");
    options.globalScope = stringParam(params, "scope") == "global";
    options.targetMacs = doubleParam(params, "target_macs");
    options.pruneResidual = boolParam(params, "prune_residual");
    if (criterion == ChannelCriterion::Taylor) {
        options.batches = intParam(params, "batches");
        options.batchSize = intParam(params, "batch_size");
    }
    if (criterion == ChannelCriterion::FeatureMapRank)
        options.samples = intParam(params, "samples");
    return options;
}

std::optional<ChannelSelection> ChannelPruner::selectChannels(const PruningContext& context)
{
    ModelBase& model = context.model;
    const ChannelPruningOptions options = ChannelPruningOptions::from(context.params, m_criterion);
    std::vector<ChannelGroup> groups;
    for (auto& group : channelGroups(model)) {
        if (group.residual() && !options.pruneResidual) {
            if (context.log)
                context.log->push_back("residual group " + group.describe() + " left whole (prune_residual is off)");
            continue;
        }
        groups.push_back(std::move(group));
    }
    if (groups.empty())
        throw std::invalid_argument("model " + model.modelId() + " has no channel group this method may prune");

    std::vector<torch::Tensor> scores;
    switch (m_criterion) {
    case ChannelCriterion::L1Norm:
    case ChannelCriterion::L2Norm:
        for (const auto& group : groups)
            scores.push_back(filterNormScores(model, group, m_criterion == ChannelCriterion::L1Norm ? 1 : 2));
        break;
    case ChannelCriterion::GeometricMedian:
        for (const auto& group : groups)
            scores.push_back(geometricMedianScores(model, group));
        break;
    case ChannelCriterion::BatchNormScale:
        for (const auto& group : groups)
            scores.push_back(batchNormScaleScores(model, group));
        break;
    case ChannelCriterion::Taylor: {
        std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
        const int64_t count = options.batches, size = options.batchSize;
        for (int64_t b = 0; b < count; ++b)
            batches.push_back(scoringBatch(context.data, size, context.seed + uint64_t(b) * 7919u));
        scores = taylorGroupScores(model, groups, batches);
        break;
    }
    case ChannelCriterion::FeatureMapRank: {
        const auto [images, labels] = scoringBatch(context.data, options.samples, context.seed);
        scores = featureMapRankScores(model, groups, images);
        for (size_t g = 0; g < groups.size(); ++g) {
            if (!scores[g].defined() && context.log)
                context.log->push_back("group " + groups[g].name
                                       + " has no feature maps (its channels are plain features); left whole");
        }
        break;
    }
    case ChannelCriterion::Random: {
        torch::Generator generator = seededGenerator(context.seed ^ 0xc4a77e1ull);
        for (const auto& group : groups)
            scores.push_back(torch::rand({group.channels}, generator, torch::kFloat32));
        break;
    }
    }

    auto selectAt = [&](double ratio) {
        if (options.globalScope)
            return keepTopChannelsGlobally(groups, scores, ratio);
        std::map<std::string, double> fractions;
        for (const auto& group : groups)
            fractions[group.name] = ratio;
        fractions = parseLayerTargets("layer_ratio", options.layerRatio, std::move(fractions));
        return keepTopChannels(groups, scores, fractions);
    };

    const double targetMacs = options.targetMacs;
    if (targetMacs <= 0)
        return selectAt(options.channelRatio);

    // A MAC budget instead of a ratio: the smallest removal ratio that meets it (bisection; MACs
    // fall monotonically as the ratio grows).
    double dense = 0;
    for (const auto& layer : model.prunableLayers())
        dense += layer.macsPerSample;
    const double budget = targetMacs * dense;
    double low = 0, high = 0.98;
    ChannelSelection best = selectAt(high);
    if (macsAfterRemoval(model, groups, best) > budget)
        throw std::invalid_argument("target_macs " + std::to_string(targetMacs)
                                    + ": even removing 98 % of the prunable channels leaves more MACs than that");
    for (int step = 0; step < 20; ++step) {
        const double mid = 0.5 * (low + high);
        ChannelSelection candidate = selectAt(mid);
        if (macsAfterRemoval(model, groups, candidate) <= budget) {
            high = mid;
            best = std::move(candidate);
        } else {
            low = mid;
        }
    }
    if (context.log)
        context.log->push_back("target_macs " + std::to_string(targetMacs) + ": removing "
                               + std::to_string(int(std::lround(high * 100))) + " % of the channels meets it");
    return best;
}

MaskSet ChannelPruner::computeMasks(const PruningContext& context)
{
    const ChannelSelection selection = *selectChannels(context);
    return channelMasks(context.model, channelGroups(context.model), selection);
}

}  // namespace prunescope
