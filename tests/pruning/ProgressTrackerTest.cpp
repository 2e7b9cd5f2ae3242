// The progress tracker on a fake clock: a run is simulated stage by stage with known durations,
// so the ETA it reports can be compared with the time that really remained.
#include "experiment/ProgressTracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace prunescope;

namespace {

struct Sample {
    double elapsed;
    ProgressEvent event;
};

struct RecordingObserver : RunObserver {
    const double* clock = nullptr;
    std::vector<Sample> samples;
    void onProgress(const ProgressEvent& e) override { samples.push_back({*clock, e}); }
};

constexpr double kEpochSeconds = 10;  // one unit
constexpr int kBatches = 20;  // per epoch

// A run as the runner reports it: loading (slow, and no guide to an epoch's time), dense
// training, evaluation, pruning, fine-tuning, evaluation, then the measurement with its latency
// part. `latencySlowdown` stretches the measurement beyond its plan (a busier machine).
class SimulatedRun {
public:
    SimulatedRun(int denseEpochs, int fineTuneEpochs, PlannedWork latency, double latencySlowdown = 1)
        : m_dense(denseEpochs), m_fineTune(fineTuneEpochs), m_latency(latency), m_slowdown(latencySlowdown)
    {
        m_observer.clock = &m_now;
    }

    double secondsOf(PlannedWork work) const { return work.units * kEpochSeconds + work.seconds; }

    std::vector<Sample> run()
    {
        const PlannedWork total{kSmallStageUnits * 5 + m_dense + m_fineTune + m_latency.units, m_latency.seconds};
        ProgressTracker tracker(m_observer, total, [this] { return m_now; });
        smallStage(tracker, RunStage::Loading, 8.0);  // reading and decompressing the data
        train(tracker, RunStage::DenseTraining, m_dense);
        smallStage(tracker, RunStage::Evaluating, secondsOf({kSmallStageUnits, 0}));
        smallStage(tracker, RunStage::Pruning, secondsOf({kSmallStageUnits, 0}));
        train(tracker, RunStage::FineTuning, m_fineTune);
        smallStage(tracker, RunStage::Evaluating, secondsOf({kSmallStageUnits, 0}));
        const PlannedWork measuring{kSmallStageUnits + m_latency.units, m_latency.seconds};
        tracker.report(RunStage::Measuring, 0, measuring, "measuring");
        const int steps = 24;
        for (int i = 1; i <= steps; ++i) {
            m_now += secondsOf(measuring) * m_slowdown / steps;
            tracker.report(RunStage::Measuring, double(i) / steps, measuring, "measuring latency");
        }
        tracker.finishStage(measuring);
        tracker.report(RunStage::Done, 1, 0, "done");
        return m_observer.samples;
    }

private:
    void smallStage(ProgressTracker& tracker, RunStage stage, double seconds)
    {
        tracker.report(stage, 0, kSmallStageUnits, "small stage");
        m_now += seconds;
        tracker.finishStage(kSmallStageUnits);
    }
    void train(ProgressTracker& tracker, RunStage stage, int epochs)
    {
        for (int batch = 1; batch <= epochs * kBatches; ++batch) {
            m_now += kEpochSeconds / kBatches;
            tracker.report(stage, double(batch) / (epochs * kBatches), epochs, "epoch");
        }
        tracker.finishStage(epochs);
    }

    int m_dense, m_fineTune;
    PlannedWork m_latency;
    double m_slowdown;
    double m_now = 0;
    RecordingObserver m_observer;
};

// The largest |elapsed + ETA − total| / total from the end of the first epoch on.
double maxRelativeError(const std::vector<Sample>& samples, double firstEpochEnds)
{
    const double total = samples.back().elapsed;
    double worst = 0;
    for (const Sample& s : samples) {
        if (s.elapsed < firstEpochEnds - 1e-9)
            continue;
        EXPECT_GE(s.event.etaSeconds, 0) << "at " << s.elapsed << " s";
        worst = std::max(worst, std::abs(s.elapsed + s.event.etaSeconds - total) / total);
    }
    return worst;
}

}  // namespace

TEST(ProgressTracker, TheEtaIsUnknownUntilTrainingHasShownItsSpeed)
{
    const std::vector<Sample> samples = SimulatedRun(3, 2, {0.2, 6}).run();
    // Loading took 8 s for 0.05 units: extrapolated, that would be an ETA of 13 minutes.
    ASSERT_EQ(samples.front().event.stage, RunStage::Loading);
    EXPECT_LT(samples.front().event.etaSeconds, 0);
    const auto firstKnown
        = std::find_if(samples.begin(), samples.end(), [](const Sample& s) { return s.event.etaSeconds >= 0; });
    ASSERT_NE(firstKnown, samples.end());
    EXPECT_EQ(firstKnown->event.stage, RunStage::DenseTraining);
}

TEST(ProgressTracker, TheEtaCoversTheLatencyMeasurementToo)
{
    const PlannedWork latency{0.3, 12};  // 3 s of timed passes and 12 s of warm-ups: 15 s
    const std::vector<Sample> samples = SimulatedRun(3, 2, latency).run();
    // At the last batch of fine-tuning, what remains is the evaluation and the measurement.
    const auto lastTraining = std::find_if(samples.rbegin(), samples.rend(),
                                           [](const Sample& s) { return s.event.stage == RunStage::FineTuning; });
    ASSERT_NE(lastTraining, samples.rend());
    const double remaining = samples.back().elapsed - lastTraining->elapsed;
    EXPECT_NEAR(remaining, 0.5 + 0.5 + 15.0, 1e-9);
    EXPECT_NEAR(lastTraining->event.etaSeconds, remaining, 0.5);
    EXPECT_LT(lastTraining->event.overallFraction, 0.95);  // not "99 %, 0:00" with 16 s to go
    // Within the measurement the bar and the ETA keep moving.
    double lastFraction = 0;
    for (const Sample& s : samples) {
        EXPECT_GE(s.event.overallFraction, lastFraction - 1e-12);
        lastFraction = s.event.overallFraction;
    }
    EXPECT_DOUBLE_EQ(samples.back().event.overallFraction, 1.0);
    EXPECT_NEAR(samples.back().event.etaSeconds, 0.0, 1e-9);  // the remaining work summed in floating point
}

TEST(ProgressTracker, TheEtaStaysWithinTenPercentFromTheFirstEpochOn)
{
    const PlannedWork latency{0.3, 12};
    const std::vector<Sample> samples = SimulatedRun(4, 3, latency).run();
    const double firstEpochEnds = 8.0 + kEpochSeconds;
    EXPECT_LT(maxRelativeError(samples, firstEpochEnds), 0.10);
}

TEST(ProgressTracker, AMeasurementSlowerThanPlannedCorrectsTheEtaFromItsOwnPace)
{
    const PlannedWork latency{0.0, 20};
    const std::vector<Sample> samples = SimulatedRun(1, 1, latency, /*latencySlowdown=*/2).run();
    // Halfway through a measurement that takes 2 × (20 s + 0.5 s): about 20.5 s remain.
    const auto halfway = std::find_if(samples.begin(), samples.end(), [](const Sample& s) {
        return s.event.stage == RunStage::Measuring && s.event.stageFraction >= 0.5;
    });
    ASSERT_NE(halfway, samples.end());
    const double remaining = samples.back().elapsed - halfway->elapsed;
    EXPECT_NEAR(halfway->event.etaSeconds, remaining, 0.05 * remaining);
}

// Until the speed is known the bar counts units; then expected time, in which a plan with seconds
// of latency makes the units done so far a smaller share. The bar holds still rather than go back.
TEST(ProgressTracker, TheBarNeverMovesBackWhenTheSpeedBecomesKnown)
{
    double now = 0;
    RecordingObserver observer;
    observer.clock = &now;
    ProgressTracker tracker(observer, PlannedWork{10, 100}, [&now] { return now; });
    tracker.report(RunStage::Loading, 1, kSmallStageUnits, "loaded");
    tracker.finishStage(kSmallStageUnits);
    for (int batch = 1; batch <= 5; ++batch) {
        now += 1;
        tracker.report(RunStage::DenseTraining, 0.01 * batch, 10, "training");
    }
    ASSERT_GT(tracker.secondsPerUnit(), 0);  // the speed is known by now
    // Without the guard the bar would read 0.015 (units) and then 0.0125 (time) after it.
    double last = 0;
    for (const Sample& sample : observer.samples) {
        EXPECT_GE(sample.event.overallFraction, last) << "at " << sample.elapsed << " s";
        last = sample.event.overallFraction;
    }
    EXPECT_GT(observer.samples.back().event.etaSeconds, 0);
}
