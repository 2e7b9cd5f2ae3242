#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "core/ExperimentPresets.h"
#include "core/StudyPlan.h"

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

// The presets grouped by the study plan's weeks: a heading per session (number, date, topic and
// the plan's category), then each preset's id and what it runs; under a paper's setup, what the
// paper reports and the laptop budget beside the paper's recipe.
int presetsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("presets", [&] {
        parseArgs(rawArgs, {}, {});
        for (const StudyWeek& week : studyPlan()) {
            std::cout << "Week " << week.number << " · " << week.date << " · " << week.topic << " (" << week.category
                      << ")\n";
            for (const ExperimentPreset* preset : presetsOfWeek(week.number)) {
                std::cout << "  " << padded(preset->id, 38) << preset->summary << "\n";
                if (preset->paper) {
                    std::cout << "      data: " << preset->config.dataset.name << " in "
                              << preset->config.dataset.directory
                              << "\n      paper: " << describePaperResult(*preset->paper) << "\n      "
                              << describeBudget(*preset) << "\n";
                }
            }
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
