#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "ConsoleObserver.h"
#include "RunRecording.h"
#include "RunStore.h"
#include "core/ResultJson.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

int runCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("run", [&] {
        const ParsedArgs args = parseArgs(rawArgs,
                                          {"config",
                                           "preset",
                                           "name",
                                           "model",
                                           "method",
                                           "sparsity",
                                           "param",
                                           "epochs",
                                           "finetune-epochs",
                                           "batch-size",
                                           "lr",
                                           "finetune-lr",
                                           "seed",
                                           "data",
                                           "train-limit",
                                           "test-limit",
                                           "threads",
                                           "cache-dir",
                                           "db",
                                           "latency-repeats",
                                           "bn-recalibration"},
                                          {"no-cache", "json", "print-config"});
        if (!args.positional.empty())
            throw UsageError("unexpected argument '" + args.positional[0] + "'");
        ExperimentConfig config = configFromArgs(args);
        try {
            validateExperiment(config);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        config.methodParams = resolveParams(methodInfo(config.method), config.methodParams);
        if (args.has("print-config")) {
            std::cout << toJson(config) << "\n";
            return int(kOk);
        }

        RunStore store(QString::fromStdString(databasePath(args)));
        ConsoleObserver observer;
        const RecordedRun recorded = recordRun(
            store, config, engineVersions(), observer, executeOnEngine, signalCancelFlag(),
            [&](int64_t runId) {
                std::string params;
                for (const auto& [name, value] : config.methodParams)
                    params += (params.empty() ? "" : " ") + name + "=" + paramToString(value);
                std::cerr << "run " << runId << ": " << config.model << ", " << config.method << " (" << params
                          << "), seed " << config.seed << " → " << store.path().toStdString() << "\n";
                watchCancelSignals();
            },
            /*sweepId=*/0, kSignalCancelMessage);
        const int64_t runId = recorded.runId;
        switch (recorded.status) {
        case RunStatus::Cancelled:
            std::cerr << "run " << runId << " cancelled\n";
            if (args.has("json"))
                std::cout << json{{"run_id", runId}, {"status", "cancelled"}}.dump() << "\n";
            return int(kCancelled);
        case RunStatus::Failed:
            std::cerr << "run " << runId << " failed: " << recorded.error << "\n";
            if (args.has("json"))
                std::cout << json{{"run_id", runId}, {"status", "failed"}, {"error", recorded.error}}.dump() << "\n";
            return int(kRunFailed);
        default:
            if (args.has("json"))
                std::cout << json{{"run_id", runId}, {"status", "finished"}, {"summary", summaryJson(recorded.summary)}}
                                 .dump()
                          << "\n";
            else
                printSummary(std::cout, runId, recorded.summary);
            return int(kOk);
        }
    });
}

}  // namespace prunescope::cli
