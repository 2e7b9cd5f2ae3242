#pragma once
// Runs one experiment from its config: load data and model, dense training (or the cached
// checkpoint), pruning, fine-tuning, evaluation, measurement. Torch-free interface so the worker
// and the CLI can call it without LibTorch's headers.

#include "experiment/ExperimentConfig.h"
#include "experiment/RunEvents.h"

#include <atomic>
#include <stdexcept>
#include <string>

namespace prunescope {

// Thrown from inside a run when the cancel flag is seen (checked between batches).
class RunCancelled : public std::runtime_error {
public:
    RunCancelled() : std::runtime_error("run cancelled") {}
};

// Where a run leaves files. Empty paths: nothing is written.
struct RunOutputs {
    std::string modelFile;  // the final network's checkpoint (thinned for structured methods)
};

// Runs the experiment; reports through observer; returns what it measured.
// Throws RunCancelled when cancel becomes true, std::exception with a user-facing message on
// bad input (unknown model, unreadable data, impossible parameters).
RunSummary runExperiment(const ExperimentConfig& config, RunObserver& observer,
                         const std::atomic<bool>& cancel, const RunOutputs& outputs = {});

// Writes a stored run's final network for PyTorch users: a TorchScript file (torch.jit.load)
// and/or a state dict (torch.load). Throws std::runtime_error naming the file on failure.
void exportRunModel(const std::string& checkpoint, const std::string& torchScriptPath,
                    const std::string& stateDictPath);

// Checks a config without running it (model, method, parameters, recipes, data directory).
// Throws std::invalid_argument naming the problem.
void validateExperiment(const ExperimentConfig& config);

// Versions stored with every run, for reproducibility.
std::string engineVersions();  // e.g. "prunescope 0.1.0; libtorch 1.13.1"

}  // namespace prunescope
