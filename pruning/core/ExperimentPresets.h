#pragma once
// Ready-made experiments that follow the study plan (core/StudyPlan.h): at least one per weekly
// session, with a method of the week's topic, so a presenter opens "their" week in one click.
// The window's Presets menu (a section per week) and `prunescope-cli presets` / `run --preset ID`
// list them. Each is a whole config (model, method, parameters, recipe). Some reproduce a paper's
// classic setup on its own benchmark (CIFAR-10, MNIST): they carry what the paper reports, so the
// user's result can be read beside it, and run as soon as that dataset is installed.

#include "core/ExperimentConfig.h"
#include "core/StudyPlan.h"

#include <optional>
#include <string>
#include <vector>

namespace prunescope {

// What a paper reports for the setup a preset reproduces.
struct PaperResult {
    std::string citation;  // "Li et al., Pruning Filters for Efficient ConvNets, ICLR 2017, Table 1"
    std::string setting;  // the row quoted: "VGG-16-pruned-A: conv1 and conv8–13, half their filters"
    double denseAccuracy = 0;  // the paper's dense network's test accuracy, 0..1
    double prunedAccuracy = 0;  // after pruning (and its fine-tuning)
    double parametersRemoved = -1;  // fraction of the dense parameters removed; < 0: not reported
    double macsRemoved = -1;  // fraction of the dense MACs (FLOPs) removed; < 0: not reported
    std::string fullRecipe;  // the paper's own training, for comparison with the preset's budget
    std::string checkedAt;  // where the figures above were checked, when not only in the paper
};

struct ExperimentPreset {
    std::string id;  // "week02-structured-l1-filters": the week, its topic, what this one shows
    std::string title;  // "Week 2 · 03/19 · Structured pruning · VGG-small, L1 filters, half the channels"
    int week = 0;  // the study plan's session, 1..14
    std::string summary;  // the part of the title after the week's date and topic
    ExperimentConfig config;
    std::optional<PaperResult> paper;  // set for the presets that reproduce a paper
};

// "Li et al., ... Table 1 (VGG-16-pruned-A ...): test accuracy 93.25 % → 93.40 %, parameters
// −64.0 %, MACs −34.2 %"
std::string describePaperResult(const PaperResult& paper);
// "Laptop budget: 30 dense epochs, 10 fine-tuning epochs (the paper: ...)" for a paper's preset;
// the epochs alone otherwise.
std::string describeBudget(const ExperimentPreset& preset);
// The preset's card, one line each: what it runs, its data, the paper's figures and the budget
// beside the paper's recipe. For the Presets menu's tooltips and `prunescope-cli presets`.
std::string presetCard(const ExperimentPreset& preset);

// In week order; within a week, the one to start with first.
const std::vector<ExperimentPreset>& experimentPresets();
const ExperimentPreset* findPreset(const std::string& id);  // nullptr when unknown
std::vector<const ExperimentPreset*> presetsOfWeek(int week);

}  // namespace prunescope
