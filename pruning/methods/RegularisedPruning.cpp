#include "methods/RegularisedPruning.h"

#include "criteria/ChannelImportance.h"
#include "methods/StructuredPruning.h"

#include <algorithm>
#include <deque>
#include <set>
#include <stdexcept>

namespace prunescope {
namespace {

using Variant = RegularisedChannelPruner::Variant;

std::vector<torch::Tensor> batchNormScales(const ModelBase& model)
{
    const auto params = model.named_parameters(true);
    std::vector<torch::Tensor> scales;
    for (const auto& norm : model.norms()) {
        if (const torch::Tensor* gamma = params.find(norm.norm + ".weight"))
            scales.push_back(*gamma);
    }
    return scales;
}

const torch::Tensor& layerWeight(const ModelBase& model, const std::string& name)
{
    for (const auto& layer : model.prunableLayers())
        if (layer.name == name)
            return layer.weight;
    throw std::logic_error("no layer " + name + " in " + model.modelId());
}

// Each channel's filters across the group's producers, one row per channel (residual groups
// join the rows of every producer).
torch::Tensor channelRows(const ModelBase& model, const ChannelGroup& group)
{
    std::vector<torch::Tensor> parts;
    for (const auto& producer : group.producers)
        parts.push_back(layerWeight(model, producer).flatten(1));
    return torch::cat(parts, 1);
}

std::map<std::string, double> sameRatio(const std::vector<ChannelGroup>& groups, double ratio)
{
    std::map<std::string, double> fractions;
    for (const auto& group : groups)
        fractions[group.name] = ratio;
    return fractions;
}

// Network Slimming's selection: one global percentile of |γ| over every channel with BatchNorm.
ChannelSelection slimmingSelection(const ModelBase& model, const std::vector<ChannelGroup>& groups, double ratio)
{
    std::vector<torch::Tensor> scores;
    for (const auto& group : groups)
        scores.push_back(group.norms.empty() ? torch::Tensor() : batchNormScaleScores(model, group));
    return keepTopChannelsGlobally(groups, scores, ratio, /*normalise=*/false);
}

ChannelSelection normSelection(const ModelBase& model, const std::vector<ChannelGroup>& groups, double ratio, int p)
{
    std::vector<torch::Tensor> scores;
    for (const auto& group : groups)
        scores.push_back(filterNormScores(model, group, p));
    return keepTopChannels(groups, scores, sameRatio(groups, ratio));
}

std::vector<int64_t> removedChannels(const ChannelGroup& group, const ChannelSelection& selection)
{
    const auto it = selection.find(group.name);
    std::vector<int64_t> removed;
    if (it == selection.end())
        return removed;
    const std::set<int64_t> kept(it->second.begin(), it->second.end());
    for (int64_t c = 0; c < group.channels; ++c)
        if (!kept.count(c))
            removed.push_back(c);
    return removed;
}

void addQuantiles(EpochMetrics& metrics, const std::string& name, const std::vector<torch::Tensor>& values)
{
    if (values.empty())
        return;
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat;
    for (const auto& v : values)
        flat.push_back(v.detach().abs().reshape(-1).to(torch::kFloat64));
    const torch::Tensor all = torch::cat(flat);
    for (const auto& [suffix, q] : {std::pair{"_p10", 0.1}, {"_p50", 0.5}, {"_p90", 0.9}})
        metrics.extra[name + suffix] = torch::quantile(all, q).item<double>();
}

std::vector<torch::Tensor> groupNorms(const ModelBase& model, const std::vector<ChannelGroup>& groups)
{
    std::vector<torch::Tensor> norms;
    for (const auto& group : groups)
        norms.push_back((channelRows(model, group).pow(2).sum(1) + 1e-12).sqrt());
    return norms;
}

class SlimmingController : public TrainingController {
public:
    SlimmingController(const ModelBase& model, double lambda) : m_model(model), m_lambda(lambda) {}
    torch::Tensor penalty(TrainingStep&) override { return batchNormL1Penalty(m_model, m_lambda); }
    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        addQuantiles(metrics, "gamma", batchNormScales(m_model));
        return true;
    }

protected:
    const ModelBase& m_model;
    double m_lambda;
};

// Slimming's penalty, plus the mask test: stop once the last `window` distances between
// successive epochs' masks all stay below epsilon.
class EarlyBirdController : public SlimmingController {
public:
    EarlyBirdController(const ModelBase& model, double lambda, double ratio, double epsilon, int window)
        : SlimmingController(model, lambda), m_groups(channelGroups(model)), m_ratio(ratio), m_epsilon(epsilon),
          m_window(window)
    {
    }
    bool afterEpoch(TrainingStep& state, EpochMetrics& metrics) override
    {
        SlimmingController::afterEpoch(state, metrics);
        ChannelSelection mask = slimmingSelection(m_model, m_groups, m_ratio);
        bool settled = false;
        if (m_previous) {
            const double distance = selectionDistance(m_groups, *m_previous, mask);
            metrics.extra["mask_distance"] = distance;
            m_distances.push_back(distance);
            if (int(m_distances.size()) > m_window)
                m_distances.pop_front();
            settled = int(m_distances.size()) == m_window
                && *std::max_element(m_distances.begin(), m_distances.end()) < m_epsilon;
        }
        m_previous = std::move(mask);
        if (settled)
            metrics.extra["early_bird_found"] = 1.0;
        return !settled;
    }

private:
    std::vector<ChannelGroup> m_groups;
    double m_ratio, m_epsilon;
    int m_window;
    std::optional<ChannelSelection> m_previous;
    std::deque<double> m_distances;
};

class GroupLassoController : public TrainingController {
public:
    GroupLassoController(const ModelBase& model, double lambda)
        : m_model(model), m_groups(channelGroups(model)), m_lambda(lambda)
    {
    }
    torch::Tensor penalty(TrainingStep&) override
    {
        torch::Tensor sum = torch::zeros({});
        for (const auto& norms : groupNorms(m_model, m_groups))
            sum = sum + norms.sum();
        return m_lambda * sum;
    }
    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        torch::NoGradGuard noGrad;
        addQuantiles(metrics, "group_norm", groupNorms(m_model, m_groups));
        return true;
    }

private:
    const ModelBase& m_model;
    std::vector<ChannelGroup> m_groups;
    double m_lambda;
};

// After every epoch, zero the filters of each group's smallest-L2 channels; training may grow
// them back. The curve is how much of that choice changes from one epoch to the next.
class SoftFilterController : public TrainingController {
public:
    SoftFilterController(const ModelBase& model, double ratio)
        : m_model(model), m_groups(channelGroups(model)), m_ratio(ratio)
    {
    }
    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        torch::NoGradGuard noGrad;
        ChannelSelection selection = normSelection(m_model, m_groups, m_ratio, 2);
        for (const auto& group : m_groups) {
            const std::vector<int64_t> removed = removedChannels(group, selection);
            if (removed.empty())
                continue;
            const torch::Tensor index = torch::tensor(removed, torch::kInt64);
            for (const auto& producer : group.producers)
                layerWeight(m_model, producer).index_fill_(0, index, 0.0);
        }
        if (m_previous)
            metrics.extra["mask_distance"] = selectionDistance(m_groups, *m_previous, selection);
        m_previous = std::move(selection);
        return true;
    }

private:
    const ModelBase& m_model;
    std::vector<ChannelGroup> m_groups;
    double m_ratio;
    std::optional<ChannelSelection> m_previous;
};

// GReg-1: choose by L1 norm first, then penalise only the chosen filters with λ/2·‖W‖², λ growing
// by `step` every `interval` optimizer steps up to `maximum`, so they fade out gradually while
// the rest of the network adapts.
class GrowingRegularisationController : public TrainingController {
public:
    GrowingRegularisationController(const ModelBase& model, double ratio, double step, int64_t interval, double maximum,
                                    std::shared_ptr<ChannelSelection> chosen)
        : m_model(model), m_groups(channelGroups(model)), m_step(step), m_interval(interval), m_maximum(maximum)
    {
        *chosen = normSelection(model, m_groups, ratio, 1);
        for (const auto& group : m_groups) {
            const std::vector<int64_t> removed = removedChannels(group, *chosen);
            if (removed.empty())
                continue;
            const torch::Tensor index = torch::tensor(removed, torch::kInt64);
            torch::Tensor keep = torch::ones({group.channels}, torch::kBool);
            keep.index_fill_(0, index, false);
            for (const auto& producer : group.producers)
                m_targets.push_back({producer, index, keep});
        }
    }
    torch::Tensor penalty(TrainingStep&) override
    {
        if (m_lambda <= 0)
            return {};
        torch::Tensor sum = torch::zeros({});
        for (const auto& target : m_targets)
            sum = sum + layerWeight(m_model, target.layer).index_select(0, target.removed).pow(2).sum();
        return 0.5 * m_lambda * sum;
    }
    void afterStep(TrainingStep& state) override
    {
        if ((state.step + 1) % m_interval == 0)
            m_lambda = std::min(m_maximum, m_lambda + m_step);
    }
    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        torch::NoGradGuard noGrad;
        double removedNorm = 0, keptNorm = 0;
        int64_t removedCount = 0, keptCount = 0;
        for (const auto& target : m_targets) {
            const torch::Tensor norms = layerWeight(m_model, target.layer).flatten(1).norm(2, {1});
            removedNorm += norms.index_select(0, target.removed).sum().item<double>();
            removedCount += target.removed.numel();
            keptNorm += norms.masked_select(target.keep).sum().item<double>();
            keptCount += target.keep.sum().item<int64_t>();
        }
        metrics.extra["lambda"] = m_lambda;
        if (removedCount > 0 && keptCount > 0 && keptNorm > 0)
            metrics.extra["removed_norm_ratio"] = (removedNorm / double(removedCount)) / (keptNorm / double(keptCount));
        return true;
    }

private:
    struct Target {
        std::string layer;
        torch::Tensor removed;  // row indices
        torch::Tensor keep;  // bool per row
    };
    const ModelBase& m_model;
    std::vector<ChannelGroup> m_groups;
    std::vector<Target> m_targets;
    double m_step;
    int64_t m_interval;
    double m_maximum;
    double m_lambda = 0;
};

}  // namespace

torch::Tensor batchNormL1Penalty(const ModelBase& model, double lambda)
{
    torch::Tensor sum = torch::zeros({});
    for (const auto& gamma : batchNormScales(model))
        sum = sum + gamma.abs().sum();
    return lambda * sum;
}

double selectionDistance(const std::vector<ChannelGroup>& groups, const ChannelSelection& a, const ChannelSelection& b)
{
    int64_t differing = 0, total = 0;
    for (const auto& group : groups) {
        const std::vector<int64_t> ra = removedChannels(group, a), rb = removedChannels(group, b);
        std::vector<int64_t> symmetric;
        std::set_symmetric_difference(ra.begin(), ra.end(), rb.begin(), rb.end(), std::back_inserter(symmetric));
        differing += int64_t(symmetric.size());
        total += group.channels;
    }
    return total ? double(differing) / double(total) : 0.0;
}

RegularisedChannelOptions RegularisedChannelOptions::from(const ParamMap& params, RegularisedVariant variant)
{
    RegularisedChannelOptions options;
    options.channelRatio = doubleParam(params, "channel_ratio");
    switch (variant) {
    case RegularisedVariant::Slimming:
    case RegularisedVariant::GroupLasso:
        options.lambda = doubleParam(params, "lambda");
        break;
    case RegularisedVariant::SoftFilter:
        break;
    case RegularisedVariant::EarlyBird:
        options.lambda = doubleParam(params, "lambda");
        options.epsilon = doubleParam(params, "epsilon");
        options.window = int(intParam(params, "window"));
        break;
    case RegularisedVariant::GrowingRegularisation:
        options.regEpochs = int(intParam(params, "reg_epochs"));
        options.lambdaStep = doubleParam(params, "lambda_step");
        options.updateInterval = intParam(params, "update_interval");
        options.lambdaMax = doubleParam(params, "lambda_max");
        break;
    }
    return options;
}

DuringTrainingPlan RegularisedChannelPruner::duringTrainingPlan(const ParamMap& params) const
{
    switch (m_variant) {
    case Variant::Slimming:
    case Variant::GroupLasso:
        return {false, 0, "regularised"};
    case Variant::SoftFilter:
        return {false, 0, "soft"};
    case Variant::EarlyBird:
        return {false, 0, "early-bird"};
    case Variant::GrowingRegularisation:
        return {true, RegularisedChannelOptions::from(params, m_variant).regEpochs, "greg"};
    }
    return {};
}

void RegularisedChannelPruner::checkApplicable(const ModelBase& model, const ParamMap&) const
{
    if ((m_variant == Variant::Slimming || m_variant == Variant::EarlyBird) && model.norms().empty())
        throw std::invalid_argument(std::string(m_variant == Variant::Slimming ? "Network Slimming" : "Early-Bird")
                                    + " penalises BatchNorm scales, and " + model.modelId()
                                    + " has no BatchNorm (use vgg_small or resnet20)");
    if (channelGroups(model).empty())
        throw std::invalid_argument(model.modelId() + " has no channel group to prune");
}

std::unique_ptr<TrainingController> RegularisedChannelPruner::trainingController(const PruningContext& context)
{
    const RegularisedChannelOptions options = RegularisedChannelOptions::from(context.params, m_variant);
    switch (m_variant) {
    case Variant::Slimming:
        return std::make_unique<SlimmingController>(context.model, options.lambda);
    case Variant::GroupLasso:
        return std::make_unique<GroupLassoController>(context.model, options.lambda);
    case Variant::SoftFilter:
        return std::make_unique<SoftFilterController>(context.model, options.channelRatio);
    case Variant::EarlyBird:
        return std::make_unique<EarlyBirdController>(context.model, options.lambda, options.channelRatio,
                                                     options.epsilon, options.window);
    case Variant::GrowingRegularisation:
        return std::make_unique<GrowingRegularisationController>(context.model, options.channelRatio,
                                                                 options.lambdaStep, options.updateInterval,
                                                                 options.lambdaMax, m_chosen);
    }
    return nullptr;
}

std::optional<ChannelSelection> RegularisedChannelPruner::selectChannels(const PruningContext& context)
{
    const std::vector<ChannelGroup> groups = channelGroups(context.model);
    const double ratio = RegularisedChannelOptions::from(context.params, m_variant).channelRatio;
    switch (m_variant) {
    case Variant::Slimming:
    case Variant::EarlyBird:
        return slimmingSelection(context.model, groups, ratio);
    case Variant::GroupLasso:
    case Variant::SoftFilter:
        return normSelection(context.model, groups, ratio, 2);
    case Variant::GrowingRegularisation:
        return *m_chosen;
    }
    return std::nullopt;
}

}  // namespace prunescope
