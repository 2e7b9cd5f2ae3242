#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "core/ExperimentConfig.h"

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

int presetsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("presets", [&] {
        parseArgs(rawArgs, {}, {});
        for (const auto& preset : experimentPresets())
            std::cout << padded(preset.id, 24) << preset.title << "\n";
        return int(kOk);
    });
}

}  // namespace prunescope::cli
