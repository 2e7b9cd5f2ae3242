#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "RunStore.h"
#include "StoredRunJson.h"
#include "core/TextFormat.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace prunescope::cli {

int showCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("show", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {"json"});
        const int64_t runId = parseRunId(args, "show");
        RunStore store(QString::fromStdString(databasePath(args)), StoreAccess::ReadOnly);
        warnIfDamaged(store);
        const auto run = store.findRun(runId);
        if (!run) {
            std::cerr << "prunescope-cli show: no run " << runId << " in " << store.path().toStdString() << "\n";
            return int(kStorage);
        }
        if (args.has("json")) {
            std::cout << runJson(store, *run).dump(2) << "\n";
            return int(kOk);
        }
        // Whatever was stored (a name, an error, the config) is printed escaped: it may hold
        // control characters that would otherwise drive the terminal.
        std::cout << "run " << run->id << " · " << terminalSafe(run->name) << " · " << statusName(run->status) << "\n"
                  << "started " << terminalSafe(run->startedAt) << ", finished "
                  << (run->finishedAt.empty() ? "-" : terminalSafe(run->finishedAt)) << "\nversions "
                  << terminalSafe(run->versions) << "\n";
        if (!run->tags.empty())
            std::cout << "tags: " << terminalSafe(run->tags) << "\n";
        if (!run->notes.empty())
            std::cout << "notes: " << terminalSafe(run->notes, true) << "\n";
        if (!run->errorMessage.empty())
            std::cout << "error: " << terminalSafe(run->errorMessage, true) << "\n";
        std::cout << "config:\n" << terminalSafe(run->configJson, true) << "\n";
        if (run->status == RunStatus::Finished)
            printSummary(std::cout, run->id, run->summary);
        const auto steps = store.pruningSteps(runId, false);
        const bool runTime = !steps.empty() && steps.back().metrics.count("macs_mean");
        if (runTime) {
            // Run-time pruning: accuracy and the MACs each test input executed, per density.
            std::cout << std::left << std::setw(10) << "DENSITY" << std::setw(11) << "TEST ACC" << std::setw(14)
                      << "MACS MEAN" << std::setw(14) << "MACS P10" << std::setw(14) << "MACS P50"
                      << "MACS P90\n";
            for (const auto& step : steps) {
                if (!step.metrics.count("macs_mean"))
                    continue;
                const auto& m = step.metrics;
                std::cout << std::setw(10) << fixed(m.at("density") * 100, 0) + " %" << std::setw(11)
                          << fixed(m.at("test_accuracy") * 100, 2) + " %" << std::setw(14)
                          << fixed(m.at("macs_mean"), 0) << std::setw(14) << fixed(m.at("macs_p10"), 0) << std::setw(14)
                          << fixed(m.at("macs_p50"), 0) << fixed(m.at("macs_p90"), 0) << "\n";
            }
        } else if (steps.size() > 2 || (!steps.empty() && steps.back().metrics.count("control_test_accuracy"))) {
            std::cout << std::left << std::setw(7) << "STEP" << std::setw(14) << "WEIGHTS LEFT" << std::setw(12)
                      << "TEST ACC"
                      << "CONTROL (RANDOM RE-INIT)\n";
            for (const auto& step : steps) {
                int64_t kept = 0, total = 0;
                for (const auto& layer : step.layers) {
                    kept += layer.nonzeros;
                    total += layer.parameters;
                }
                auto metric = [&](const char* name) {
                    auto it = step.metrics.find(name);
                    return it == step.metrics.end() ? std::string("-") : fixed(it->second * 100, 2) + " %";
                };
                std::cout << std::setw(7) << step.step << std::setw(14)
                          << fixed(100.0 * double(kept) / double(std::max<int64_t>(total, 1)), 1) + " %"
                          << std::setw(12) << metric("test_accuracy") << metric("control_test_accuracy") << "\n";
            }
        }
        if (!steps.empty()) {
            std::cout << std::left << std::setw(18) << "LAYER" << std::setw(8) << "KIND" << std::setw(20) << "SHAPE"
                      << std::setw(11) << "PARAMS" << std::setw(11) << "NONZERO" << std::setw(10) << "DENSITY"
                      << std::setw(11) << "CHANNELS" << std::setw(13) << "DENSE MACS"
                      << "EFF. MACS\n";
            for (const auto& layer : steps.back().layers) {
                std::cout << std::setw(18) << terminalSafe(layer.name) << std::setw(8) << layer.kind << std::setw(20)
                          << shapeText(layer.shape, "×") << std::setw(11) << layer.parameters << std::setw(11)
                          << layer.nonzeros << std::setw(10) << fixed(layer.density() * 100, 2) << std::setw(11)
                          << std::to_string(layer.channelsKept) + "/" + std::to_string(layer.channels) << std::setw(13)
                          << fixed(layer.denseMacs, 0) << fixed(layer.effectiveMacs, 0) << "\n";
            }
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
