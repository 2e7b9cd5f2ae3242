#pragma once
// What prunescope-cli run shows while an experiment runs, on stderr.

#include "core/RunEvents.h"

#include <chrono>

namespace prunescope::cli {

// Prints progress at most every two seconds (and at every stage change), each epoch, the layer
// densities after each pruning step, and the method's log lines. It only prints: recordRun
// stores each event before it reaches this observer, so what a user saw is kept.
class ConsoleObserver : public RunObserver {
public:
    void onProgress(const ProgressEvent& event) override;
    void onEpoch(const EpochMetrics& m) override;
    void onPruningStep(const PruningStep& step) override;
    void onLog(const std::string& message) override;

private:
    RunStage m_lastStage = RunStage::Done;
    std::chrono::steady_clock::time_point m_lastPrint{};
};

}  // namespace prunescope::cli
