#include "experiment/ProgressTracker.h"

#include <algorithm>

namespace prunescope {

ProgressTracker::ProgressTracker(RunObserver& observer, double totalUnits) : m_observer(observer), m_total(totalUnits)
{
}

void ProgressTracker::report(RunStage stage, double stageFraction, double stageUnits, const std::string& message)
{
    const double done = m_finishedUnits + stageFraction * stageUnits;
    ProgressEvent event;
    event.stage = stage;
    event.stageFraction = stageFraction;
    event.overallFraction = m_total > 0 ? std::min(1.0, done / m_total) : 0.0;
    const double elapsed = std::chrono::duration<double>(Clock::now() - m_start).count();
    // Estimate from the measured rate once a little work is done; earlier guesses mislead.
    if (done > 0.05 && elapsed > 0.5)
        event.etaSeconds = elapsed / done * std::max(0.0, m_total - done);
    event.message = message;
    m_observer.onProgress(event);
}

}  // namespace prunescope
