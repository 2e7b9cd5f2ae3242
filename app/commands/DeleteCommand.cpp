#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

// Moves runs to the trash: they leave `list`, and `restore` brings them back until `trash --empty`.
int deleteCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("delete", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {});
        if (args.positional.empty())
            throw UsageError("delete needs at least one run id");
        std::vector<int64_t> ids;
        for (const auto& text : args.positional)
            ids.push_back(parseNumber<int64_t>("RUN", text));
        RunStore store(QString::fromStdString(databasePath(args)));
        for (const int64_t id : ids) {
            store.trashRun(id);  // throws for an unknown or running run: the ones before stay moved
            std::cout << "run " << id << " moved to the trash (prunescope-cli restore " << id << " brings it back)\n";
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
