#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"
#include "core/TextFormat.h"
#include "core/ResultJson.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

int listCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("list", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {"json"});
        RunStore store(QString::fromStdString(databasePath(args)), StoreAccess::ReadOnly);
        warnIfDamaged(store);
        const auto runs = store.listRuns();
        if (args.has("json")) {
            json list = json::array();
            for (const auto& run : runs) {
                json entry = {{"id", run.id},
                              {"name", run.name},
                              {"model", run.config.model},
                              {"method", run.config.method},
                              {"seed", run.config.seed},
                              {"status", statusName(run.status)},
                              {"started_at", run.startedAt}};
                if (run.status == RunStatus::Finished)
                    entry["summary"] = summaryJson(run.summary);
                list.push_back(entry);
            }
            std::cout << list.dump(2) << "\n";
            return int(kOk);
        }
        std::cout << std::left << std::setw(6) << "ID" << std::setw(13) << "STATUS" << std::setw(13) << "MODEL"
                  << std::setw(21) << "METHOD" << std::setw(10) << "SPARSITY" << std::setw(10) << "ACC %"
                  << std::setw(10) << "DENSE %"
                  << "STARTED\n";
        for (const auto& run : runs) {
            const bool finished = run.status == RunStatus::Finished;
            std::cout << std::setw(6) << run.id << std::setw(13) << statusName(run.status) << std::setw(13)
                      << terminalSafe(modelDisplayName(run.config.model)) << std::setw(21)
                      << terminalSafe(run.config.method) << std::setw(10)
                      << (finished ? fixed(run.summary.sparsity * 100, 1) : "-") << std::setw(10)
                      << (finished ? fixed(run.summary.testAccuracy * 100, 2) : "-") << std::setw(10)
                      << (finished ? fixed(run.summary.denseTestAccuracy * 100, 2) : "-") << run.startedAt << "\n";
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
