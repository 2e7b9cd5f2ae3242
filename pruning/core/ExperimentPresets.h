#pragma once
// Ready-made experiments that follow the study plan (core/StudyPlan.h): at least one per weekly
// session, with a method of the week's topic, so a presenter opens "their" week in one click.
// The window's Presets menu (a section per week) and `prunescope-cli presets` / `run --preset ID`
// list them. Each is a whole config (model, method, parameters, recipe).

#include "core/ExperimentConfig.h"
#include "core/StudyPlan.h"

#include <string>
#include <vector>

namespace prunescope {

struct ExperimentPreset {
    std::string id;  // "week02-structured-l1-filters": the week, its topic, what this one shows
    std::string title;  // "Week 2 · 03/19 · Structured pruning · VGG-small, L1 filters, half the channels"
    int week = 0;  // the study plan's session, 1..14
    std::string summary;  // the part of the title after the week's date and topic
    ExperimentConfig config;
};

// In week order; within a week, the one to start with first.
const std::vector<ExperimentPreset>& experimentPresets();
const ExperimentPreset* findPreset(const std::string& id);  // nullptr when unknown
std::vector<const ExperimentPreset*> presetsOfWeek(int week);

}  // namespace prunescope
