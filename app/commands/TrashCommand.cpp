#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

// Lists the runs in the trash, or (--empty) deletes them for good.
int trashCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("trash", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {"empty"});
        if (!args.positional.empty())
            throw UsageError("unexpected argument '" + args.positional[0] + "'");
        RunStore store(QString::fromStdString(databasePath(args)));
        if (args.has("empty")) {
            const int deleted = store.emptyTrash();
            std::cout << deleted << (deleted == 1 ? " run" : " runs") << " deleted for good\n";
            return int(kOk);
        }
        const std::vector<StoredRun> runs = store.trashedRuns();
        if (runs.empty()) {
            std::cout << "the trash is empty\n";
            return int(kOk);
        }
        std::cout << padded("ID", 6) << padded("STATUS", 13) << padded("MODEL", 13) << padded("METHOD", 21)
                  << "DELETED\n";
        for (const auto& run : runs)
            std::cout << padded(std::to_string(run.id), 6) << padded(statusName(run.status), 13)
                      << padded(modelDisplayName(run.config.model), 13) << padded(run.config.method, 21)
                      << run.deletedAt << "\n";
        return int(kOk);
    });
}

}  // namespace prunescope::cli
