#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "core/MethodInfo.h"
#include "models/ModelDescription.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

int modelsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("models", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {}, {"json"});
        json models = json::array();
        for (const auto& m : modelCatalogue()) {
            if (args.has("json"))
                models.push_back({{"id", m.id}, {"description", m.description}});
            else
                std::cout << std::left << std::setw(14) << m.id << m.description << "\n";
        }
        if (!args.has("json"))
            std::cout << "or a TorchScript file: run --model /path/to/model.pt (taking the data's images, [N, C, H, W] "
                         "or [N, C·H·W], and giving its classes)\n";
        if (args.has("json"))
            std::cout << models.dump(2) << "\n";
        return int(kOk);
    });
}

}  // namespace prunescope::cli
