#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunRecording.h"
#include "RunStore.h"
#include "SweepRecording.h"
#include "core/SeedStatistics.h"
#include "core/TextFormat.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace prunescope::cli {

using nlohmann::json;

namespace {

struct SweepCell {
    std::vector<double> accuracies;
    double sparsity = 0;
    double compression = 0;
    double nonzeros = 0;
    double effectiveMacs = 0;
};

// One row per method and target sparsity: mean ± sample standard deviation over seeds.
void printSweepTable(std::ostream& out, const std::vector<StoredRun>& runs)
{
    std::map<std::pair<std::string, double>, SweepCell> cells;
    std::vector<std::string> methods;
    for (const auto& run : runs) {
        if (run.status != RunStatus::Finished)
            continue;
        auto it = run.config.methodParams.find("sparsity");
        const double target = it == run.config.methodParams.end() ? 0.0 : std::get<double>(it->second);
        SweepCell& cell = cells[{run.config.method, target}];
        cell.accuracies.push_back(run.summary.testAccuracy);
        cell.sparsity = run.summary.sparsity;
        cell.compression = run.summary.compressionRatio;
        cell.nonzeros = double(run.summary.nonzeros);
        cell.effectiveMacs = run.summary.effectiveMacs;
        if (std::find(methods.begin(), methods.end(), run.config.method) == methods.end())
            methods.push_back(run.config.method);
    }
    out << std::left << std::setw(22) << "METHOD" << std::setw(10) << "TARGET" << std::setw(13) << "1/(1-TARGET)"
        << std::setw(22) << "TEST ACC % (MEAN±SD)" << std::setw(7) << "SEEDS" << std::setw(11) << "NONZEROS"
        << "EFF. MACS\n";
    for (const auto& method : methods) {
        for (const auto& [key, cell] : cells) {
            if (key.first != method)
                continue;
            const MeanAndSd accuracy = meanAndSampleSd(cell.accuracies);
            out << std::setw(22) << method << std::setw(10) << fixed(key.second * 100, 1) + " %" << std::setw(13)
                << fixed(1.0 / std::max(1e-9, 1.0 - key.second), 1) + "×" << std::setw(22)
                << fixed(accuracy.mean * 100, 2) + " ± " + fixed(accuracy.sd * 100, 2) << std::setw(7)
                << cell.accuracies.size() << std::setw(11) << fixed(cell.nonzeros, 0) << fixed(cell.effectiveMacs, 0)
                << "\n";
        }
    }
}

}  // namespace

int sweepCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("sweep", [&] {
        const ParsedArgs args
            = parseArgs(rawArgs,
                        withOptions({"config", "name", "model", "methods", "sparsities", "compressions", "seeds",
                                     "epochs", "finetune-epochs", "batch-size", "lr", "finetune-lr", "threads",
                                     "cache-dir", "db", "latency-repeats", "bn-recalibration", "show"},
                                    kDatasetValueOptions),
                        withOptions({"no-cache"}, kDatasetFlagOptions));
        if (args.has("show")) {
            RunStore store(QString::fromStdString(databasePath(args)));
            printSweepTable(std::cout, store.runsOfSweep(parseNumber<int64_t>("show", args.value("show"))));
            return int(kOk);
        }
        const ExperimentConfig base = configFromArgs(args);
        std::vector<double> sparsities;
        if (args.has("sparsities") == args.has("compressions"))
            throw UsageError("sweep needs either --sparsities 0.5,0.9 or --compressions 2,4,8");
        for (const auto& item : splitCommaList(args.value(args.has("sparsities") ? "sparsities" : "compressions"))) {
            const double value = parseNumber<double>("sparsities", item);
            if (args.has("compressions") && value < 1)
                throw UsageError("--compressions: " + item + " is below 1 (compression = all weights / kept weights)");
            sparsities.push_back(args.has("compressions") ? 1.0 - 1.0 / value : value);
        }
        SweepPlan plan;
        plan.name = args.value("name", "sweep");
        plan.base = base;
        plan.methods = splitCommaList(args.value("methods", base.method));
        plan.sparsities = sparsities;
        for (const auto& item : splitCommaList(args.value("seeds", std::to_string(base.seed))))
            plan.seeds.push_back(parseNumber<uint64_t>("seeds", item));
        // Check every point before running any: a typo should not surface after an hour.
        std::vector<ExperimentConfig> points;
        try {
            points = sweepPoints(plan);
            for (const auto& config : points)
                validateExperiment(config);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string(e.what()) + " (a sweep varies the 'sparsity' parameter of each method)");
        }
        RunStore store(QString::fromStdString(databasePath(args)));
        const int64_t sweepId = beginSweep(store, plan);
        std::cerr << "sweep " << sweepId << ": " << points.size() << " runs → " << store.path().toStdString() << "\n";
        watchCancelSignals();
        int failures = 0;
        RunObserver silent;  // a sweep prints one line per run, not its progress
        for (size_t i = 0; i < points.size(); ++i) {
            const ExperimentConfig& config = points[i];
            const RecordedRun recorded = recordRun(
                store, config, engineVersions(), silent, executeOnEngine, signalCancelFlag(),
                [&](int64_t runId) {
                    noteActiveRun(store.path().toStdString(), runId);
                    std::cerr << "[" << i + 1 << "/" << points.size() << "] run " << runId << ": " << config.name
                              << "\n";
                },
                sweepId, kSignalCancelMessage);
            if (recorded.status == RunStatus::Cancelled) {
                std::cerr << "sweep " << sweepId << " cancelled\n";
                return int(kCancelled);
            }
            if (recorded.status == RunStatus::Failed) {
                std::cerr << "    failed: " << recorded.error << "\n";
                ++failures;
            } else {
                std::cerr << "    test accuracy " << fixed(recorded.summary.testAccuracy * 100, 2) << " %\n";
            }
        }
        std::cout << "sweep " << sweepId << "\n";
        printSweepTable(std::cout, store.runsOfSweep(sweepId));
        return int(failures ? kRunFailed : kOk);
    });
}

}  // namespace prunescope::cli
