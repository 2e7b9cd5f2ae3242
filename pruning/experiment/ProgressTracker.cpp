#include "experiment/ProgressTracker.h"

#include <algorithm>
#include <chrono>

namespace prunescope {
namespace {

double steadySeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool trainsWeights(RunStage stage)
{
    return stage == RunStage::DenseTraining || stage == RunStage::FineTuning || stage == RunStage::Pruning;
}

}  // namespace

ProgressTracker::ProgressTracker(RunObserver& observer, PlannedWork total, Clock clock)
    : m_observer(observer), m_total(total), m_clock(clock ? std::move(clock) : Clock(steadySeconds))
{
}

double ProgressTracker::secondsPerUnit() const
{
    // A few batches' worth of units before trusting the rate: the first batches of a phase pay
    // for allocations and warm caches.
    constexpr double kMinimumUnits = 0.02;
    if (m_rateUnits < kMinimumUnits || m_rateSeconds <= 0)
        return -1;
    return m_rateSeconds / m_rateUnits;
}

void ProgressTracker::report(RunStage stage, double stageFraction, PlannedWork stageWork, const std::string& message)
{
    const double now = m_clock();
    stageFraction = std::clamp(stageFraction, 0.0, 1.0);
    const PlannedWork done{m_finished.units + stageFraction * stageWork.units,
                           m_finished.seconds + stageFraction * stageWork.seconds};

    if (stageWork.seconds > 0) {
        // A stage planned partly in seconds (latency): its time would distort the unit speed.
        if (m_timedStageStart < 0)
            m_timedStageStart = now;
    } else {
        m_timedStageStart = -1;
        if (!m_rateStarted && trainsWeights(stage) && stageFraction > 0) {
            // The first training report: the speed is measured from here on.
            m_rateStarted = true;
            m_rateStartTime = now;
            m_rateStartUnits = done.units;
        } else if (m_rateStarted) {
            m_rateSeconds = now - m_rateStartTime;
            m_rateUnits = done.units - m_rateStartUnits;
        }
    }

    ProgressEvent event;
    event.stage = stage;
    event.stageFraction = stageFraction;
    // Overall progress in expected time where the speed is known, in units until then.
    const double rate = secondsPerUnit();
    const double totalTime = rate > 0 ? m_total.units * rate + m_total.seconds : m_total.units;
    const double doneTime = rate > 0 ? done.units * rate + done.seconds : done.units;
    // The estimate of the whole changes as the speed becomes known (units → expected time) and
    // as it is refined; the bar holds still rather than moving back.
    const double estimated = totalTime > 0 ? std::min(1.0, doneTime / totalTime) : 0.0;
    m_overallShown = std::max(m_overallShown, estimated);
    event.overallFraction = m_overallShown;
    if (rate > 0) {
        double remaining
            = std::max(0.0, m_total.units - done.units) * rate + std::max(0.0, m_total.seconds - done.seconds);
        if (m_timedStageStart >= 0 && stageFraction >= 0.1) {
            // Inside a timed stage with a tenth of it done, its own pace is the better guide for
            // the rest of it.
            const double stagePlanned = stageWork.units * rate + stageWork.seconds;
            const double stageElapsed = now - m_timedStageStart;
            const double stageRemaining = stageElapsed / stageFraction * (1 - stageFraction);
            remaining += stageRemaining - (1 - stageFraction) * stagePlanned;
        }
        event.etaSeconds = std::max(0.0, remaining);
    }
    event.message = message;
    m_observer.onProgress(event);
}

void ProgressTracker::finishStage(PlannedWork stageWork)
{
    m_finished.units += stageWork.units;
    m_finished.seconds += stageWork.seconds;
    m_timedStageStart = -1;
}

}  // namespace prunescope
