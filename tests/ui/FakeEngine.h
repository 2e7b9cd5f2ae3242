#pragma once
// A stand-in for the engine in UI tests: a run reports a scripted sequence of progress, epoch,
// pruning-step and log events and returns its summary at once (no data, no training), so the
// window's flows are tested in milliseconds. A run can also be held until it is cancelled.

#include "RunRecording.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace prunescope::testsupport {

// What one run reports, in order: epochs of phase "dense", the pruning steps, then the other
// epochs; then the summary (or the failure).
struct FakeRun {
    std::vector<EpochMetrics> epochs;
    std::vector<PruningStep> steps;
    std::vector<std::string> logLines;
    RunSummary summary;
    std::string failure;  // not empty: the run throws this message after its events
    bool holdUntilCancelled = false;  // after its first progress event, wait for the cancel flag
};

class FakeEngine {
public:
    // The run a config gets: `script` when set, else typicalRun(config).
    std::function<FakeRun(const ExperimentConfig& config)> script;

    // Runs on the window's worker thread; the engine must outlive the window.
    ExperimentExecutor executor();
    int runCount() const { return m_runs.load(); }

    // LeNet-300-100's three layers pruned to the config's "sparsity" (0.9 without one), with
    // masks; denseTraining.epochs dense and fineTuning.epochs fine-tuning epochs.
    static FakeRun typicalRun(const ExperimentConfig& config);
    // A layer's statistics and mask with (about) `sparsity` of its weights pruned.
    static void addLayer(PruningStep& step, const std::string& name, std::vector<int64_t> shape, double sparsity);

private:
    RunSummary execute(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel);

    std::atomic<int> m_runs{0};
};

}  // namespace prunescope::testsupport
