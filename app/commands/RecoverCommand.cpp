#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"
#include "RunStoreRecovery.h"
#include "core/TextFormat.h"

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

// Copies every run that can still be read from a damaged database into a new one; the damaged
// file is only read. Exit 0 when everything was saved, kStorage when something was lost.
int recoverCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("recover", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"out"}, {});
        if (args.positional.size() != 1 || !args.has("out"))
            throw UsageError("recover needs the damaged database and --out NEW.sqlite (a file that does not exist)");
        const QString damaged = QString::fromStdString(args.positional.front());
        {
            const RunStore store(damaged, StoreAccess::ReadOnly);
            std::cerr << (store.damage().empty() ? "the quick check finds nothing wrong; copying anyway\n"
                                                 : "damage found: " + terminalSafe(store.damage()) + "\n");
        }
        const RecoveryReport report = recoverRuns(damaged, QString::fromStdString(args.value("out")));
        std::cout << "recovered " << report.recoveredRuns.size() << " run"
                  << (report.recoveredRuns.size() == 1 ? "" : "s") << " whole into " << terminalSafe(args.value("out"))
                  << "\n";
        for (const std::string& loss : report.losses)
            std::cout << "lost: " << loss << "\n";
        if (!report.complete())
            std::cout << "the damaged file was left unchanged; its runs' files stay beside it\n";
        return int(report.complete() ? kOk : kStorage);
    });
}

}  // namespace prunescope::cli
