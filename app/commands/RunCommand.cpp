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

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

namespace {

// --eta-log FILE: every progress event as "progress <elapsed s> <eta s> <overall> <stage>" and
// every epoch as "epoch <elapsed s> <phase> <epoch>", unthrottled, so docs/measure-eta.sh can
// compare each ETA with the time the run really took. Forwards everything to the console.
class EtaLogObserver : public RunObserver {
public:
    EtaLogObserver(RunObserver& forward, const std::string& path) : m_forward(forward)
    {
        if (!path.empty()) {
            m_out.open(path);
            if (!m_out)
                throw UsageError("--eta-log: cannot write " + path);
        }
    }
    void onProgress(const ProgressEvent& e) override
    {
        m_out << "progress " << elapsed() << " " << e.etaSeconds << " " << e.overallFraction << " "
              << stageName(e.stage) << "\n";
        m_forward.onProgress(e);
    }
    void onEpoch(const EpochMetrics& m) override
    {
        m_out << "epoch " << elapsed() << " " << m.phase << " " << m.epoch << "\n";
        m_forward.onEpoch(m);
    }
    void onPruningStep(const PruningStep& step) override { m_forward.onPruningStep(step); }
    void onLog(const std::string& message) override { m_forward.onLog(message); }

private:
    double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }
    RunObserver& m_forward;
    std::ofstream m_out;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

}  // namespace

int runCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("run", [&] {
        const ParsedArgs args
            = parseArgs(rawArgs,
                        withOptions({"config", "preset", "name", "model", "method", "sparsity", "param", "epochs",
                                     "finetune-epochs", "batch-size", "lr", "finetune-lr", "seed", "threads",
                                     "cache-dir", "db", "latency-repeats", "bn-recalibration", "eta-log"},
                                    kDatasetValueOptions),
                        withOptions({"no-cache", "json", "print-config"}, kDatasetFlagOptions));
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
        ConsoleObserver console;
        EtaLogObserver etaLog(console, args.value("eta-log", ""));
        RunObserver& observer = args.has("eta-log") ? static_cast<RunObserver&>(etaLog) : console;
        const RecordedRun recorded = recordRun(
            store, config, engineVersions(), observer, executeOnEngine, signalCancelFlag(),
            [&](int64_t runId) {
                // Signals are watched before the line below is printed: whoever waits for it
                // (a script, a test) may signal at once.
                watchCancelSignals();
                noteActiveRun(store.path().toStdString(), runId);
                std::string params;
                for (const auto& [name, value] : config.methodParams)
                    params += (params.empty() ? "" : " ") + name + "=" + paramToString(value);
                std::cerr << "run " << runId << ": " << config.model << ", " << config.method << " (" << params
                          << "), seed " << config.seed << " → " << store.path().toStdString() << "\n";
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
