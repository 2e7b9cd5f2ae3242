#pragma once
// One driver per pruning schedule (experiment/schedules/): it says how many epochs it trains
// (for progress and ETA) and runs its part of a run, between the runner's common head (data,
// model, dense phase, dense evaluation) and common tail (evaluation, measurement, checkpoints).
// A new schedule is one driver file plus its line in the table of ScheduleTable.cpp.

#include "experiment/ExperimentCheck.h"
#include "experiment/RunContext.h"
#include "fusion/CompressedFile.h"
#include "masks/MaskSet.h"
#include "methods/PruningMethod.h"
#include "train/Trainer.h"

#include <memory>

namespace prunescope {

// The networks a schedule starts from.
struct ScheduleStart {
    std::shared_ptr<ModelBase> model;  // the trained dense network; the driver prunes it in place
    std::shared_ptr<ModelBase> initial;  // θ0, the initialisation the dense network was trained from
};

// What the runner's common tail needs from a schedule.
struct ScheduleOutcome {
    MaskSet masks;  // the masks on the model at the end (empty: none)
    Evaluation final;  // the final network on the test set
    double prunedTestAccuracy = 0;  // right after pruning, before (re)training
    std::shared_ptr<ModelBase> deployed;  // the network measured, timed and saved; null: the model
    bool structured = false;  // deployed is a thinner dense network (channels removed)
    double executedMacs = 0;  // run-time pruning: mean MACs executed per test input
    bool latencyApplies = true;  // false when the executed network changes with every input
    // Bytes the network takes stored in its own format (quantized weights and their scales);
    // 0: the metrics' figure for fp32 weights, dense or as a sparse bitmap.
    int64_t storedBytes = 0;
    // Latency of networks the schedule timed itself (real int8 beside its fp32 module), stored
    // beside the runner's dense and pruned figures.
    std::vector<LatencyMeasurement> extraLatency;
    // A fusion method's compressed network (Deep Compression): the runner's tail writes it to a
    // file, reads it back, and stores the file's size as the run's size.
    std::optional<CompressedNetwork> compressed;
};

class ScheduleDriver {
public:
    virtual ~ScheduleDriver() = default;
    // Epochs trained after the dense phase (the progress bar and the ETA count them).
    virtual double trainingUnits(const ExperimentConfig& config, const PruningMethod& method,
                                 const ParamMap& params) const = 0;
    // Whether the run's end times the network (false when the executed network changes with
    // every input); the progress plan counts the measurement only then.
    virtual bool measuresLatency() const { return true; }
    // Prunes (and trains) from the dense network, reporting steps, epochs and log lines on the way.
    virtual ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const = 0;
    // The recipe fields this schedule reads (the window disables the others). Most schedules
    // fine-tune and none but the one-shot ones re-estimate BatchNorm.
    virtual RecipeUse recipeUse(const PruningMethod&, const ParamMap&) const { return {}; }
};

// The driver of `schedule`; throws std::logic_error for a schedule the table lacks.
const ScheduleDriver& scheduleDriver(PruningSchedule schedule);

}  // namespace prunescope
