#pragma once
// A pruning method as the user sees it: its place in the survey's taxonomy, its card, and the
// schema its parameter form is generated from. No LibTorch here.

#include "core/ExperimentConfig.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prunescope {

// Taxonomy of Cheng, Zhang & Shi (TPAMI 2024), one enum per axis. The text shown for each value
// (CLI, JSON, the window's method tree, reports) is in one table, MethodTaxonomy.cpp's.
enum class Speedup { Unstructured, Structured, SemiStructured };
enum class WhenToPrune { BeforeTraining, DuringTraining, AfterTraining, RunTime };
enum class PruningCriterion { Magnitude, LpNorm, Saliency, LossChange, Random, Learned };
// Optional axes: None where a method has no such tag.
enum class LearnToPrune {
    None,
    Saliency,
    StraightThroughEstimator,
    SparsityRegularisation,
    SparsityRegularisationEarlyStop,
    SaliencyPredictor,
};
enum class Fusion { None, Quantization, TensorDecomposition, KnowledgeDistillation, WeightSharing };
// The survey's families within "when to prune" (its sections on pruning during and after
// training), which are also the study plan's weekly topics. None where the survey has no finer
// family (before training, run-time) or a method is a baseline (random).
enum class Approach {
    None,
    SparsityRegularisation,
    DynamicSparseTraining,
    ScoreBased,
    DifferentiablePruning,
    LotteryTicket,
    EarlyTraining,
    PostTraining,
};

struct Taxonomy {
    Speedup speedup = Speedup::Unstructured;
    WhenToPrune when = WhenToPrune::AfterTraining;
    PruningCriterion criterion = PruningCriterion::Magnitude;
    LearnToPrune learnToPrune = LearnToPrune::None;
    Fusion fusion = Fusion::None;
    Approach approach = Approach::None;
};

// The text shown for a tag: "semi-structured", "after training", "lp norm", ...; "" for None.
const std::string& displayName(Speedup speedup);
const std::string& displayName(WhenToPrune when);
const std::string& displayName(PruningCriterion criterion);
const std::string& displayName(LearnToPrune learnToPrune);
const std::string& displayName(Fusion fusion);
const std::string& displayName(Approach approach);

// The tag a display name stands for (the reverse of displayName); nothing for an unknown name.
// Defined for the six axes above.
template <typename Tag>
std::optional<Tag> tagFromName(std::string_view name);

struct MethodCard {
    std::string title;  // "Global magnitude pruning"
    std::string authors;  // "Han, Pool, Tran, Dally"
    std::string venue;  // "NeurIPS"
    int year = 0;
    std::string rule;  // one paragraph
    std::string goodAt;  // when to reach for it
    std::string badAt;  // what it costs or where it fails
};

enum class ParamType { Bool, Int, Double, String };

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Double;
    ParamValue defaultValue;
    double minimum = 0;  // Int and Double
    double maximum = 0;
    std::string help;
    std::vector<std::string> choices;  // String: the allowed values (empty = free text)
};

struct MethodInfo {
    std::string id;  // "global_magnitude"
    Taxonomy taxonomy;
    MethodCard card;
    std::vector<ParamSpec> params;
};

// Every registered method, in catalogue order.
const std::vector<MethodInfo>& methodCatalogue();
// Throws std::invalid_argument listing the known ids when id is unknown.
const MethodInfo& methodInfo(const std::string& id);

// Fills defaults and checks types and ranges; throws std::invalid_argument naming the parameter,
// its value and the expected range.
ParamMap resolveParams(const MethodInfo& method, const ParamMap& given);

}  // namespace prunescope
