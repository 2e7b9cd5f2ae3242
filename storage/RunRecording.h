#pragma once
// The one way a run is recorded in the store, shared by the CLI's run and sweep and the window's
// worker. The engine call is passed in, so storage needs no LibTorch and UI tests can use a fake.

#include "RunStore.h"
#include "core/ExperimentConfig.h"
#include "core/RunEvents.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace prunescope {

// What runs an experiment: the engine's runExperiment in the programs, a fast fake in UI tests.
// modelFile: where the run's final checkpoint goes (the store's artifact path for the run).
using ExperimentExecutor = std::function<RunSummary(const ExperimentConfig& config, RunObserver& observer,
                                                    const std::atomic<bool>& cancel, const std::string& modelFile)>;

struct RecordedRun {
    int64_t runId = 0;
    RunStatus status = RunStatus::Finished;  // Finished, Cancelled or Failed
    RunSummary summary;  // when Finished
    std::string error;  // when Failed: the message (also stored with the run)
};

// The one way a run is recorded: begins the run row (onBegun(runId) is called right after), stores
// every epoch and pruning step before forwarding it to `forward` (so what a user saw is kept),
// forwards progress and log lines, then finishes the run with its summary, or ends it as
// Cancelled (RunCancelled, message `cancelMessage`) or Failed (any other std::exception, message kept).
// A StorageError (the store itself failed) is re-thrown: recording the failure in it would fail too.
RecordedRun recordRun(RunStore& store, const ExperimentConfig& config, const std::string& versions,
                      RunObserver& forward, const ExperimentExecutor& execute, const std::atomic<bool>& cancel,
                      const std::function<void(int64_t runId)>& onBegun = {}, int64_t sweepId = 0,
                      const std::string& cancelMessage = "cancelled by the user");

}  // namespace prunescope
