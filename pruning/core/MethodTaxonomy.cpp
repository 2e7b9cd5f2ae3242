// The taxonomy's display names: one table, read both ways.
#include "core/MethodInfo.h"

#include <stdexcept>
#include <type_traits>
#include <utility>

namespace prunescope {
namespace {

// The one table of the taxonomy's display names: what the CLI, JSON, the window's method tree and
// reports show for each tag.
template <typename Tag>
using TagNames = std::vector<std::pair<Tag, std::string>>;

struct TaxonomyNames {
    TagNames<Speedup> speedup;
    TagNames<WhenToPrune> when;
    TagNames<PruningCriterion> criterion;
    TagNames<LearnToPrune> learnToPrune;
    TagNames<Fusion> fusion;
    TagNames<Approach> approach;
};

const TaxonomyNames& taxonomyNames()
{
    static const TaxonomyNames names{
        {{Speedup::Unstructured, "unstructured"},
         {Speedup::Structured, "structured"},
         {Speedup::SemiStructured, "semi-structured"}},
        {{WhenToPrune::BeforeTraining, "before training"},
         {WhenToPrune::DuringTraining, "during training"},
         {WhenToPrune::AfterTraining, "after training"},
         {WhenToPrune::RunTime, "run-time"}},
        {{PruningCriterion::Magnitude, "magnitude"},
         {PruningCriterion::LpNorm, "lp norm"},
         {PruningCriterion::Saliency, "sensitivity/saliency"},
         {PruningCriterion::LossChange, "loss change"},
         {PruningCriterion::Random, "random"},
         {PruningCriterion::Learned, "learned"}},
        {{LearnToPrune::None, ""},
         {LearnToPrune::Saliency, "sensitivity/saliency"},
         {LearnToPrune::StraightThroughEstimator, "straight-through estimator"},
         {LearnToPrune::SparsityRegularisation, "sparsity regularisation"},
         {LearnToPrune::SparsityRegularisationEarlyStop, "sparsity regularisation (early stop)"},
         {LearnToPrune::SaliencyPredictor, "saliency predictor"}},
        {{Fusion::None, ""},
         {Fusion::Quantization, "quantization"},
         {Fusion::TensorDecomposition, "tensor decomposition"},
         {Fusion::KnowledgeDistillation, "knowledge distillation"},
         {Fusion::WeightSharing, "weight sharing"}},
        {{Approach::None, ""},
         {Approach::SparsityRegularisation, "sparsity regularisation"},
         {Approach::DynamicSparseTraining, "dynamic sparse training"},
         {Approach::ScoreBased, "score-based"},
         {Approach::DifferentiablePruning, "differentiable pruning"},
         {Approach::LotteryTicket, "lottery ticket"},
         {Approach::EarlyTraining, "pruning in early training"},
         {Approach::PostTraining, "post-training"}},
    };
    return names;
}

template <typename Tag>
const TagNames<Tag>& namesOf()
{
    const TaxonomyNames& names = taxonomyNames();
    if constexpr (std::is_same_v<Tag, Speedup>)
        return names.speedup;
    else if constexpr (std::is_same_v<Tag, WhenToPrune>)
        return names.when;
    else if constexpr (std::is_same_v<Tag, PruningCriterion>)
        return names.criterion;
    else if constexpr (std::is_same_v<Tag, LearnToPrune>)
        return names.learnToPrune;
    else if constexpr (std::is_same_v<Tag, Fusion>)
        return names.fusion;
    else
        return names.approach;
}

template <typename Tag>
const std::string& nameOf(Tag tag)
{
    for (const auto& [value, name] : namesOf<Tag>()) {
        if (value == tag)
            return name;
    }
    throw std::logic_error("taxonomy tag " + std::to_string(int(tag)) + " has no display name");
}

}  // namespace

const std::string& displayName(Speedup speedup)
{
    return nameOf(speedup);
}
const std::string& displayName(WhenToPrune when)
{
    return nameOf(when);
}
const std::string& displayName(PruningCriterion criterion)
{
    return nameOf(criterion);
}
const std::string& displayName(LearnToPrune learnToPrune)
{
    return nameOf(learnToPrune);
}
const std::string& displayName(Fusion fusion)
{
    return nameOf(fusion);
}
const std::string& displayName(Approach approach)
{
    return nameOf(approach);
}

template <typename Tag>
std::optional<Tag> tagFromName(std::string_view name)
{
    for (const auto& [value, text] : namesOf<Tag>()) {
        if (text == name)
            return value;
    }
    return std::nullopt;
}

template std::optional<Speedup> tagFromName<Speedup>(std::string_view);
template std::optional<WhenToPrune> tagFromName<WhenToPrune>(std::string_view);
template std::optional<PruningCriterion> tagFromName<PruningCriterion>(std::string_view);
template std::optional<LearnToPrune> tagFromName<LearnToPrune>(std::string_view);
template std::optional<Fusion> tagFromName<Fusion>(std::string_view);
template std::optional<Approach> tagFromName<Approach>(std::string_view);

}  // namespace prunescope
