#pragma once
// What can be done with a stored run's checkpoints after the run: time them again, read their
// weights, export them. Torch-free interface so the window and the CLI include it cheaply.

#include "core/SafeFile.h"
#include "core/RunEvents.h"
#include "experiment/ProgressTracker.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace prunescope {

class ModelBase;

// Times a stored run's final network against the dense network of the same model on this CPU
// (batch 1 and 64, the deployment path), as runs do at their end. For measuring again on a quiet
// machine: latency only depends on the architecture, so the dense reference is a fresh one.
// threads 0 = all cores. Throws std::runtime_error naming the checkpoint when it cannot be read.
std::vector<LatencyMeasurement> measureStoredLatency(const std::string& checkpoint, int repeats, int threads);

// Dense and pruned latency at batch 1 and 64, each on its fastest deployment path, timed in
// alternation so that their ratio is measured under the same machine conditions; appended to
// summary.latency. The end of a run and measureStoredLatency() share it.
// onProgress(fraction done) follows the measurement, for the progress bar.
void measureLatencies(const ModelBase& dense, const ModelBase& pruned, int repeats, RunSummary& summary,
                      const std::function<void(double fraction)>& onProgress = {});

// The batch sizes measureLatencies times, and how many networks and deployment paths per batch.
inline constexpr int kLatencyBatches[] = {1, 64};
inline constexpr int kLatencyModulesPerBatch = 2 * 3;  // dense and pruned, on three deployment paths

// What measureLatencies costs, for the run's progress plan, in the tracker's two currencies:
// seconds for what takes a fixed time (each module's deployment and its warm-up of at least a
// quarter of a second), and units (epochs) for the timed forward passes, by their share of an
// epoch's sample passes (a training sample costs a forward and a backward pass, about three
// forwards; a call also costs some fixed overhead, counted as kForwardCallOverheadSamples).
PlannedWork latencyWork(int repeats, int64_t trainSamples, int64_t validationSamples);

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
// Where a fusion method's compressed network (Deep Compression's .psdc file) is kept.
std::string compressedNetworkBeside(const std::string& modelFile);

// Writes a stored run's final network for PyTorch users: a TorchScript file (torch.jit.load)
// and/or a state dict (torch.load). Throws std::runtime_error naming the file on failure, and
// FileExistsError when a destination exists and `overwrite` is Refuse (nothing is written then).
void exportRunModel(const std::string& checkpoint, const std::string& torchScriptPath, const std::string& stateDictPath,
                    FileOverwrite overwrite = FileOverwrite::Replace);

}  // namespace prunescope
