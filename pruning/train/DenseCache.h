#pragma once
// A cache of trained dense checkpoints, keyed by everything the dense weights depend on (model,
// data fingerprint, dense recipe, seed), so pruning-after-training runs that share a dense model
// train it once.

#include "core/DatasetCatalogue.h"
#include "core/ExperimentConfig.h"
#include "core/RunEvents.h"
#include "models/Models.h"

#include <string>
#include <vector>

namespace prunescope {

class DenseCache {
public:
    explicit DenseCache(std::string directory);  // empty = default location

    // ~/.cache/PruneScope/dense (or $XDG_CACHE_HOME/PruneScope/dense).
    static std::string defaultDirectory();

    // A TorchScript file model is keyed by its content (fileFingerprint), so an edited file
    // trains anew; reading it throws std::invalid_argument when it is gone. `shape` is what the
    // model is built for (DataSplits::shape).
    static std::string key(const ExperimentConfig& config, const std::string& dataFingerprint, const DataShape& shape);

    // Loads the checkpoint into model and its training history; false when absent. A damaged
    // file is reported through `problem` and treated as absent (it will be rewritten).
    bool load(const std::string& key, ModelBase& model, std::vector<EpochMetrics>& history, std::string& problem) const;

    // Writes atomically (temporary file, then rename) so a killed run never leaves half a file.
    void store(const std::string& key, const ModelBase& model, const std::vector<EpochMetrics>& history) const;

    std::string checkpointPath(const std::string& key) const;

private:
    std::string m_directory;
};

}  // namespace prunescope
