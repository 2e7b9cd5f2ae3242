#pragma once
// Turns stage-local fractions into one overall fraction and an ETA. Work is counted in "units":
// one training epoch is one unit; loading, pruning and evaluation are small fixed amounts.

#include "core/RunEvents.h"

#include <chrono>
#include <string>

namespace prunescope {

// The units of a stage that does not train (loading, pruning, evaluating, measuring).
inline constexpr double kSmallStageUnits = 0.05;

class ProgressTracker {
public:
    ProgressTracker(RunObserver& observer, double totalUnits);

    void setTotal(double totalUnits) { m_total = totalUnits; }
    void report(RunStage stage, double stageFraction, double stageUnits, const std::string& message);
    void finishStage(double stageUnits) { m_finishedUnits += stageUnits; }

private:
    using Clock = std::chrono::steady_clock;

    RunObserver& m_observer;
    double m_total;
    double m_finishedUnits = 0;
    Clock::time_point m_start = Clock::now();
};

}  // namespace prunescope
