#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"
#include "experiment/StoredRun.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

int latencyCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("latency", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db", "repeats", "threads"}, {"keep"});
        if (args.positional.empty())
            throw UsageError("latency needs at least one run id");
        const int repeats = parseNumber<int>("repeats", args.value("repeats", "30"));
        const int threads = parseNumber<int>("threads", args.value("threads", "0"));
        if (repeats < 1 || repeats > 10000)
            throw UsageError("--repeats must be in [1, 10000]");
        RunStore store(QString::fromStdString(databasePath(args)));
        std::vector<StoredRun> runs;
        for (const auto& text : args.positional) {
            const int64_t runId = parseNumber<int64_t>("RUN", text);
            const auto run = store.findRun(runId);
            if (!run || run->summary.modelFile.empty()) {
                std::cerr << "prunescope-cli latency: run " << runId
                          << (run ? " has no saved network" : " does not exist") << " in " << store.path().toStdString()
                          << "\n";
                return int(kStorage);
            }
            runs.push_back(*run);
        }
        std::cout << padded("RUN", 6) << padded("MODEL", 12) << padded("METHOD", 20) << padded("TEST ACC", 10)
                  << padded("THEORETICAL", 13) << padded("BATCH 1 DENSE→PRUNED ms", 25)
                  << padded("BATCH 64 DENSE→PRUNED ms", 26) << padded("MEASURED", 10) << "MEASURED/THEORETICAL\n";
        for (auto& run : runs) {
            run.summary.latency = measureStoredLatency(run.summary.modelFile, repeats, threads);
            if (!args.has("keep"))
                store.replaceLatency(run.id, run.summary.latency);
            const RunSummary& s = run.summary;
            auto pair = [&](int batch) {
                return fixed(s.latencyOf("dense", batch)->medianMs, 3) + "→"
                    + fixed(s.latencyOf("pruned", batch)->medianMs, 3);
            };
            std::cout << padded(std::to_string(run.id), 6) << padded(modelDisplayName(run.config.model), 12)
                      << padded(run.config.method, 20) << padded(fixed(s.testAccuracy * 100, 2), 10)
                      << padded(fixed(s.theoreticalSpeedup, 2) + "×", 13) << padded(pair(1), 25) << padded(pair(64), 26)
                      << padded(fixed(s.measuredSpeedup(64), 2) + "×", 10)
                      << fixed(100 * s.measuredSpeedup(64) / std::max(1e-9, s.theoreticalSpeedup), 0) << " %"
                      << std::endl;
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
