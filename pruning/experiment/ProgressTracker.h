#pragma once
// Turns stage-local fractions into one overall fraction and an ETA that covers the whole run,
// latency measurement included.
//
// Work is counted in "units": one training epoch is one unit; loading, pruning and evaluation are
// small fixed amounts (kSmallStageUnits); timing forward passes for latency is converted to units
// by its share of forward passes (see latencyWork in StoredRun.h). Some work is known in seconds
// rather than in units (the latency warm-up runs for at least a quarter of a second per network,
// however fast the network is): the plan carries it as seconds.
//
// The speed (seconds per unit) is measured from the first training report on, not from the
// start: loading the data takes a time that says nothing about how long an epoch takes, and an
// ETA extrapolated from it starts far off. Until a training stage has reported, the ETA is
// unknown (< 0) rather than a guess.

#include "core/RunEvents.h"

#include <functional>
#include <string>

namespace prunescope {

// The units of a stage that does not train (loading, pruning, evaluating).
inline constexpr double kSmallStageUnits = 0.05;

// Work known in advance, in the two currencies the tracker adds up.
struct PlannedWork {
    double units = 0;
    double seconds = 0;
};

class ProgressTracker {
public:
    // Monotonic seconds; the steady clock unless a test injects its own.
    using Clock = std::function<double()>;

    ProgressTracker(RunObserver& observer, PlannedWork total, Clock clock = {});

    // The plan changed (e.g. the dense network came from the cache: no dense epochs to train).
    void setTotal(PlannedWork total) { m_total = total; }
    PlannedWork total() const { return m_total; }

    // `stageFraction` of a stage worth `stageWork` is done. Training stages (DenseTraining,
    // FineTuning, and Pruning while a method trains) teach the tracker the speed.
    void report(RunStage stage, double stageFraction, PlannedWork stageWork, const std::string& message);
    void report(RunStage stage, double stageFraction, double stageUnits, const std::string& message)
    {
        report(stage, stageFraction, PlannedWork{stageUnits, 0}, message);
    }
    void finishStage(PlannedWork stageWork);
    void finishStage(double stageUnits) { finishStage(PlannedWork{stageUnits, 0}); }

    // Seconds per unit as measured so far; < 0 while unknown.
    double secondsPerUnit() const;

private:
    RunObserver& m_observer;
    PlannedWork m_total;
    Clock m_clock;
    PlannedWork m_finished;  // stages finished so far
    // The speed: time and units from the first training report to the latest report of a stage
    // that is measured in units only.
    bool m_rateStarted = false;
    double m_rateStartTime = 0;
    double m_rateStartUnits = 0;
    double m_rateSeconds = 0;
    double m_rateUnits = 0;
    // The stage in progress that has seconds in its plan: when it started and what it was worth.
    double m_timedStageStart = -1;
    double m_overallShown = 0;  // the overall fraction last reported: it never goes back
};

}  // namespace prunescope
