#pragma once
// The fusion stage an after-training method may ask for once its pruned network is fine-tuned
// (its CompressionPlan): share the weights, fine-tune the centroids, report the step. The
// runner's tail then writes the compressed file and measures its size.

#include "experiment/ScheduleDriver.h"

namespace prunescope {

// Shares the weights of `model` (masks: those in force), fine-tunes the centroids for the plan's
// epochs, reports pruning step `step` with its test metrics, and fills outcome.final and
// outcome.compressed.
void shareWeightsAfterFineTuning(const RunContext& run, const CompressionPlan& plan, ModelBase& model,
                                 const MaskSet& masks, int step, ScheduleOutcome& outcome);

}  // namespace prunescope
