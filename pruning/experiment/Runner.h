#pragma once
// Runs one experiment from its config: load data and model, dense training (or the cached
// checkpoint), pruning, fine-tuning, evaluation, measurement. Torch-free interface so the worker
// and the CLI can call it without LibTorch's headers. What is done with a stored run's
// checkpoints afterwards is in experiment/StoredRun.h.

#include "core/ExperimentConfig.h"
#include "core/RunCancelled.h"
#include "core/RunEvents.h"
#include "experiment/ExperimentCheck.h"  // validateExperiment, which runExperiment calls first

#include <atomic>
#include <stdexcept>
#include <string>

namespace prunescope {

// Where a run leaves files. Empty paths: nothing is written.
struct RunOutputs {
    std::string modelFile;  // the final network's checkpoint (thinned for structured methods)
};

// Runs the experiment; reports through observer; returns what it measured.
// Throws RunCancelled when cancel becomes true, std::exception with a user-facing message on
// bad input (unknown model, unreadable data, impossible parameters).
RunSummary runExperiment(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                         const RunOutputs& outputs = {});

// Versions stored with every run, for reproducibility.
std::string engineVersions();  // e.g. "prunescope 0.1.0; libtorch 1.13.1"

}  // namespace prunescope
