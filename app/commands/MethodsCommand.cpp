#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "core/MethodInfo.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

int methodsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("methods", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {}, {"json"});
        if (args.has("json")) {
            json methods = json::array();
            for (const auto& m : methodCatalogue()) {
                json params = json::array();
                for (const auto& p : m.params)
                    params.push_back({{"name", p.name},
                                      {"default", paramToString(p.defaultValue)},
                                      {"min", p.minimum},
                                      {"max", p.maximum},
                                      {"help", p.help}});
                methods.push_back({{"id", m.id},
                                   {"title", m.card.title},
                                   {"speedup", displayName(m.taxonomy.speedup)},
                                   {"when", displayName(m.taxonomy.when)},
                                   {"criterion", displayName(m.taxonomy.criterion)},
                                   {"approach", displayName(m.taxonomy.approach)},
                                   {"authors", m.card.authors},
                                   {"venue", m.card.venue},
                                   {"year", m.card.year},
                                   {"rule", m.card.rule},
                                   {"good_at", m.card.goodAt},
                                   {"bad_at", m.card.badAt},
                                   {"params", params}});
            }
            std::cout << methods.dump(2) << "\n";
            return int(kOk);
        }
        std::cout << std::left << std::setw(26) << "ID" << std::setw(16) << "SPEEDUP" << std::setw(17) << "WHEN"
                  << std::setw(12) << "CRITERION"
                  << "PAPER\n";
        for (const auto& m : methodCatalogue()) {
            std::cout << std::setw(26) << m.id << std::setw(16) << displayName(m.taxonomy.speedup) << std::setw(17)
                      << displayName(m.taxonomy.when) << std::setw(12) << displayName(m.taxonomy.criterion)
                      << m.card.authors << ", " << m.card.venue << " " << m.card.year << "\n";
            for (const auto& p : m.params)
                std::cout << "    --param " << p.name << "=" << paramToString(p.defaultValue) << "   " << p.help
                          << "\n";
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
