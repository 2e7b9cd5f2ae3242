#pragma once
// Runs one experiment from its config: load data and model, dense training (or the cached
// checkpoint), pruning, fine-tuning, evaluation, measurement. Torch-free interface so the worker
// and the CLI can call it without LibTorch's headers.

#include "core/ExperimentConfig.h"
#include "core/RunCancelled.h"
#include "core/RunEvents.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace prunescope {

// Where a run leaves files. Empty paths: nothing is written.
struct RunOutputs {
    std::string modelFile;  // the final network's checkpoint (thinned for structured methods)
};

// Runs the experiment; reports through observer; returns what it measured.
// Throws RunCancelled when cancel becomes true, std::exception with a user-facing message on
// bad input (unknown model, unreadable data, impossible parameters).
RunSummary runExperiment(const ExperimentConfig& config, RunObserver& observer,
                         const std::atomic<bool>& cancel, const RunOutputs& outputs = {});

// Times a stored run's final network against the dense network of the same model on this CPU
// (batch 1 and 64, the deployment path), as runs do at their end. For measuring again on a quiet
// machine: latency only depends on the architecture, so the dense reference is a fresh one.
// threads 0 = all cores. Throws std::runtime_error naming the checkpoint when it cannot be read.
std::vector<LatencyMeasurement> measureStoredLatency(const std::string& checkpoint, int repeats, int threads);

// A stored run's final weights, layer by layer (for the mask inspector's magnitudes and
// histogram). Thinned networks have fewer channels than the run's masks. Throws
// std::runtime_error naming the checkpoint when it cannot be read.
struct LayerWeights {
    std::string layer;
    std::vector<int64_t> shape;
    std::vector<float> values;  // row-major
};
std::vector<LayerWeights> loadLayerWeights(const std::string& checkpoint);
// Where a run keeps its dense network: beside its final checkpoint, written by runExperiment()
// with it. The dense cache cannot serve instead: its key needs the data set's content
// fingerprint, which a stored run does not keep, and the cache may be cleared.
std::string denseCheckpointBeside(const std::string& modelFile);

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
