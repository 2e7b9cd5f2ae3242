#pragma once
// A pruning method as the user sees it: its place in the survey's taxonomy, its card, and the
// schema its parameter form is generated from. No LibTorch here.

#include "core/ExperimentConfig.h"

#include <string>
#include <vector>

namespace prunescope {

// Taxonomy of Cheng, Zhang & Shi (TPAMI 2024).
struct Taxonomy {
    std::string speedup;    // "unstructured" | "structured" | "semi-structured"
    std::string when;       // "before training" | "during training" | "after training" | "run-time"
    std::string criterion;  // "magnitude" | "lp norm" | "sensitivity/saliency" | "loss change" | "random"
    std::string learnToPrune;  // optional
    std::string fusion;        // optional
};

struct MethodCard {
    std::string title;    // "Global magnitude pruning"
    std::string authors;  // "Han, Pool, Tran, Dally"
    std::string venue;    // "NeurIPS"
    int year = 0;
    std::string rule;     // one paragraph
    std::string goodAt;   // when to reach for it
    std::string badAt;    // what it costs or where it fails
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
