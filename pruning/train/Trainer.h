#pragma once
// Seeded, cancellable training and evaluation of a zoo model on in-memory tensors.

#include "data/Dataset.h"
#include "core/ExperimentConfig.h"
#include "core/RunEvents.h"
#include "masks/MaskSet.h"
#include "models/Models.h"
#include "train/TrainingController.h"

#include <atomic>
#include <functional>

namespace prunescope {

struct Evaluation {
    double loss = 0;
    double accuracy = 0;  // fraction correct, 0..1
};

struct TrainHooks {
    // fraction of this training phase done, 0..1; called after every batch
    std::function<void(double)> onBatch;
    std::function<void(const EpochMetrics&)> onEpoch;
    const std::atomic<bool>* cancel = nullptr;  // checked between batches; throws RunCancelled
    const MaskSet* masks = nullptr;  // kept applied while training
    // Stop after this many epochs of the recipe (0 = all). The learning-rate schedule still
    // follows recipe.epochs, so the weights equal the first epochs of a full run (LTH rewinding).
    int stopAfterEpochs = 0;
    // A method acting during training, with the masks it moves (both set or both null). Its
    // masks replace `masks`.
    TrainingController* controller = nullptr;
    MaskSet* controlledMasks = nullptr;
};

// Checks a recipe; throws std::invalid_argument naming the field (prefix e.g. "fine_tuning").
void validateRecipe(const TrainRecipe& recipe, const std::string& prefix, bool allowZeroEpochs);

// Learning rate at the start of `epoch` (0-based) under the recipe's schedule.
double learningRateAt(const TrainRecipe& recipe, int epoch);

// Trains for recipe.epochs; returns the metrics of each epoch.
std::vector<EpochMetrics> trainModel(ModelBase& model, const DataSplits& data, const TrainRecipe& recipe,
                                     const std::string& phase, uint64_t seed, const TrainHooks& hooks);

// Re-estimates every BatchNorm layer's running mean and variance as the plain average over
// `batches` seeded training batches (no gradients, weights and masks untouched): pruning shifts
// the activations the stored statistics describe, and stale statistics alone can drop a pruned
// network to chance before any fine-tuning (adaptive BatchNorm, Li et al., EagleEye, 2020).
// Returns how many BatchNorm layers it re-estimated (0 for a model without BatchNorm).
int recalibrateBatchNorm(ModelBase& model, const TensorDataset& data, int batches, int64_t batchSize, uint64_t seed,
                         const std::atomic<bool>* cancel = nullptr);

Evaluation evaluateModel(ModelBase& model, const TensorDataset& data, int64_t batchSize = 1000,
                         const std::atomic<bool>* cancel = nullptr);

}  // namespace prunescope
