#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

// Brings runs back from the trash.
int restoreCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("restore", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {});
        if (args.positional.empty())
            throw UsageError("restore needs at least one run id (see 'trash')");
        std::vector<int64_t> ids;
        for (const auto& text : args.positional)
            ids.push_back(parseNumber<int64_t>("RUN", text));
        RunStore store(QString::fromStdString(databasePath(args)));
        for (const int64_t id : ids) {
            store.restoreRun(id);
            std::cout << "run " << id << " restored\n";
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
