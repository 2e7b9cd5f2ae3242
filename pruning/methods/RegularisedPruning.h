#pragma once
// Structured pruning driven by training: a penalty or a soft schedule makes channels removable
// while the network trains, then the runner removes them for real and fine-tunes.
// - Network Slimming (Liu et al., ICCV 2017): L1 on the BatchNorm scales γ, one global percentile.
// - SSL (Wen et al., NeurIPS 2016): group lasso over each channel's filters.
// - Soft filter pruning (He et al., IJCAI 2018): zero the smallest filters every epoch, let them
//   grow back, remove the last epoch's.
// - Early-Bird tickets (You et al., ICLR 2020): stop training as soon as the slimming mask settles.
// - GReg (Wang et al., ICLR 2021): a growing L2 penalty on the filters chosen for removal.

#include "methods/PruningMethod.h"

#include <memory>

namespace prunescope {

// λ Σ |γ| over every BatchNorm scale of the model: the slimming penalty (Early-Bird uses it too).
torch::Tensor batchNormL1Penalty(const ModelBase& model, double lambda);

// The fraction of channels whose keep/remove decision differs between two selections of the same
// groups (Early-Bird's normalised Hamming distance between successive masks).
double selectionDistance(const std::vector<ChannelGroup>& groups, const ChannelSelection& a, const ChannelSelection& b);

enum class RegularisedVariant { Slimming, GroupLasso, SoftFilter, EarlyBird, GrowingRegularisation };

// Each variant reads its own fields; the others keep their zeros.
struct RegularisedChannelOptions {
    double channelRatio = 0;  // of the channels removed after training
    double lambda = 0;  // Slimming, SSL, Early-Bird: strength of the penalty
    double epsilon = 0;  // Early-Bird: mask distance under which the mask counts as settled
    int window = 0;  // Early-Bird: successive distances that must stay under epsilon
    int regEpochs = 0;  // GReg: epochs of regularised training (fine-tuning recipe)
    double lambdaStep = 0;  // GReg: growth of λ per update
    int64_t updateInterval = 0;  // GReg: optimizer steps between λ updates
    double lambdaMax = 0;  // GReg: the largest λ
    static RegularisedChannelOptions from(const ParamMap& params, RegularisedVariant variant);
};

// Network Slimming, SSL, SFP, Early-Bird and GReg: one class, the variant chosen by id, since all
// share the groups, the selection after training and the channel removal.
class RegularisedChannelPruner : public PruningMethod {
public:
    using Variant = RegularisedVariant;
    explicit RegularisedChannelPruner(Variant variant) : m_variant(variant) {}

    PruningSchedule schedule() const override { return PruningSchedule::DuringTraining; }
    void parseOptions(const ParamMap& params) const override { RegularisedChannelOptions::from(params, m_variant); }
    DuringTrainingPlan duringTrainingPlan(const ParamMap& params) const override;
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    std::unique_ptr<TrainingController> trainingController(const PruningContext& context) override;
    std::optional<ChannelSelection> selectChannels(const PruningContext& context) override;

private:
    Variant m_variant;
    // GReg fixes its choice before regularising; the controller records it here.
    std::shared_ptr<ChannelSelection> m_chosen = std::make_shared<ChannelSelection>();
};

}  // namespace prunescope
