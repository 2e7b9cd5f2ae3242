#pragma once
// The study plan PruneScope serves (shared/seed/study-plan.md): fourteen Wednesday sessions from
// 12 March to 25 June 2025, each with one topic of the survey's taxonomy, then the quantization
// season's first week (issue 16: the survey's fusion axis). The presets follow it, and a test checks that each week's presets use methods tagged with the week's topic.

#include "core/MethodInfo.h"

#include <optional>
#include <string>
#include <vector>

namespace prunescope {

struct StudyWeek {
    int number = 0;  // 1.., in session order
    std::string date;  // "2025-03-19"
    std::string topic;  // "Structured pruning", as the plan names it
    std::string category;  // the plan's category column: "Structured", "During training", ...
    // The tags a method must carry to fit the week; an empty axis does not matter for the week.
    std::optional<Speedup> speedup;
    std::optional<WhenToPrune> when;
    std::optional<Approach> approach;
    std::optional<Fusion> fusion;  // the quantization season's weeks: the survey's fusion axis

    std::string shortDate() const;  // "03/19", as the plan writes it
};

// The sessions in order: the fourteen of pruning, then the quantization season's.
const std::vector<StudyWeek>& studyPlan();
// Week `number` of the plan; throws std::out_of_range outside the plan.
const StudyWeek& studyWeek(int number);

// Whether the method's taxonomy has every tag the week asks for.
bool methodFitsWeek(const MethodInfo& method, const StudyWeek& week);

}  // namespace prunescope
