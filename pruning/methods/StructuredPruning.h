#pragma once
// Structured (channel) pruning after training: score every channel group with a criterion, keep
// the best channels per group (or globally, or down to a MAC budget), then the runner removes the
// rest physically and fine-tunes the thinner network.

#include "methods/PruningMethod.h"

namespace prunescope {

enum class ChannelCriterion { L1Norm, L2Norm, GeometricMedian, Taylor, BatchNormScale, FeatureMapRank, Random };

struct ChannelPruningOptions {
    double channelRatio = 0;  // of each group's channels removed
    std::string layerRatio;  // "conv1=0.25, conv2=0.6" overriding channelRatio (layer-wise scope)
    bool globalScope = false;  // one ranking over all groups instead of the same ratio in each
    double targetMacs = 0;  // keep at most this fraction of the dense MACs; 0: use channelRatio
    bool pruneResidual = false;  // also prune channel groups tied by residual additions
    int64_t batches = 0;  // Taylor: batches averaged
    int64_t batchSize = 0;  // Taylor: samples per batch
    int64_t samples = 0;  // feature-map rank: images whose maps are ranked
    // Reads the criterion's own parameters too (Taylor, feature-map rank).
    static ChannelPruningOptions from(const ParamMap& params, ChannelCriterion criterion);
};

class ChannelPruner : public PruningMethod {
public:
    explicit ChannelPruner(ChannelCriterion criterion) : m_criterion(criterion) {}
    void parseOptions(const ParamMap& params) const override { ChannelPruningOptions::from(params, m_criterion); }
    MaskSet computeMasks(const PruningContext& context) override;
    std::optional<ChannelSelection> selectChannels(const PruningContext& context) override;

private:
    ChannelCriterion m_criterion;
};

// The channels to keep given each group's scores (undefined scores = keep the whole group) and
// each group's fraction to remove; at least one channel per group survives. Ties keep the lower
// index, so equal scores give a deterministic selection.
ChannelSelection keepTopChannels(const std::vector<ChannelGroup>& groups, const std::vector<torch::Tensor>& scores,
                                 const std::map<std::string, double>& removeFraction);

// One ranking across all groups: each group's scores are divided by their mean so layers of
// different scale compete fairly (unless normalise is false: Network Slimming's one global
// percentile of |γ|); `removeFraction` of all scored channels go, never a group's last one.
ChannelSelection keepTopChannelsGlobally(const std::vector<ChannelGroup>& groups,
                                         const std::vector<torch::Tensor>& scores, double removeFraction,
                                         bool normalise = true);

// MACs per sample of the model after removing all but the selected channels.
double macsAfterRemoval(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                        const ChannelSelection& selection);

}  // namespace prunescope
