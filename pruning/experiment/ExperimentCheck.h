#pragma once
// Checking an experiment before it runs, and which parts of its training recipe it uses. The
// window asks both to refuse a setup that cannot work before a run is stored (with the reason
// next to the field at fault) and to disable the fields a method does not use. Torch-free
// interface, like Runner.h.

#include "core/DatasetCatalogue.h"
#include "core/ExperimentConfig.h"

#include <stdexcept>
#include <string>

namespace prunescope {

// The part of a config a problem is in.
enum class ConfigField {
    Model,
    Method,  // the method itself, or it cannot run on the chosen model
    MethodParameters,
    DenseTraining,
    FineTuning,
    Data,  // the data folder and its limits
    Other,  // threads, latency repeats, BatchNorm re-estimation
};

// A config that cannot run; what() names the problem (with the config key where there is one).
class InvalidExperiment : public std::invalid_argument {
public:
    InvalidExperiment(ConfigField field, const std::string& message) : std::invalid_argument(message), m_field(field) {}
    ConfigField field() const { return m_field; }

private:
    ConfigField m_field;
};

// Checks a config without running it: model, method and whether it applies to the model, its
// parameters, the recipes, the data folder (inspectDataset: its files exist, their headers and
// sizes read).
// Throws InvalidExperiment naming the problem and the field it is in.
void validateExperiment(const ExperimentConfig& config);

// The images and classes a model would be built for with this data: what the data folder holds
// when it can be read, else the known dataset's published shape, else 1×28×28 with 10 classes.
// For describing a model before the data is there; validateExperiment checks the real data.
DataShape expectedDataShape(const DatasetConfig& dataset);

// Which recipe fields a method's schedule reads; the others are ignored by its runs.
struct RecipeUse {
    bool fineTuning = true;  // fine-tuning epochs and learning rate
    bool batchNormRecalibration = false;  // re-estimating BatchNorm right after one-shot pruning
};
// For config.method with config.methodParams (an iterative method may train each round with the
// dense recipe instead). Throws std::invalid_argument for an unknown method or bad parameters.
RecipeUse recipeUse(const ExperimentConfig& config);

}  // namespace prunescope
