// The shared "record a run" protocol on a real SQLite file, with a scripted executor in place of
// the engine.
#include "RunRecording.h"
#include "core/RunCancelled.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

using namespace prunescope;

namespace {

EpochMetrics someEpoch(int epoch)
{
    return {"dense", epoch, 0.1, 1.5 / epoch, 0.5, 1.25, 0.625, {{"mask_distance", 0.25}}};
}

PruningStep someStep()
{
    PruningStep step;
    step.step = 1;
    step.layers = {{"fc1", "linear", {300, 784}, 235200, 23520, 235200, 23520, true, 300, 290}};
    step.metrics = {{"test_accuracy", 0.75}};
    return step;
}

RunSummary someSummary()
{
    RunSummary summary;
    summary.denseTestAccuracy = 0.875;
    summary.testAccuracy = 0.8125;
    summary.sparsity = 0.9;
    summary.parameters = 266610;
    summary.nonzeros = 26661;
    return summary;
}

// Receives what the protocol forwards, and looks into the store as each event arrives: an event a
// user sees must already be stored.
class CheckingObserver : public RunObserver {
public:
    explicit CheckingObserver(const RunStore& store) : m_store(store) {}

    void onProgress(const ProgressEvent& event) override { events.push_back("progress " + event.message); }
    void onEpoch(const EpochMetrics& metrics) override
    {
        events.push_back("epoch " + std::to_string(metrics.epoch));
        storedEpochsWhenForwarded.push_back(m_store.epochs(runId).size());
    }
    void onPruningStep(const PruningStep& step) override
    {
        events.push_back("step " + std::to_string(step.step));
        storedStepsWhenForwarded.push_back(m_store.pruningSteps(runId, false).size());
    }
    void onLog(const std::string& message) override { events.push_back("log " + message); }

    int64_t runId = 0;  // set by onBegun
    std::vector<std::string> events;
    std::vector<size_t> storedEpochsWhenForwarded;
    std::vector<size_t> storedStepsWhenForwarded;

private:
    const RunStore& m_store;
};

class RunRecordingTest : public ::testing::Test {
protected:
    QString dbPath() const { return m_dir.filePath("runs.sqlite"); }

    // An executor that reports two epochs and a pruning step, then does what `ending` says.
    template <typename Ending>
    ExperimentExecutor scripted(Ending ending)
    {
        return [this, ending](const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                              const std::string& modelFile) {
            m_executedMethod = config.method;
            m_cancelSeen = &cancel;
            m_modelFile = modelFile;
            observer.onProgress({RunStage::DenseTraining, 0.5, 0.25, 10, "training"});
            observer.onEpoch(someEpoch(1));
            observer.onEpoch(someEpoch(2));
            observer.onPruningStep(someStep());
            observer.onLog("pruned fc1");
            return ending();
        };
    }

    RecordedRun record(RunStore& store, CheckingObserver& forward, const ExperimentExecutor& execute,
                       const std::string& cancelMessage = "cancelled by the user", int64_t sweepId = 0)
    {
        return recordRun(
            store, m_config, "test versions", forward, execute, m_cancel,
            [&](int64_t runId) {
                forward.runId = runId;
                forward.events.push_back("begun " + std::to_string(runId));
            },
            sweepId, cancelMessage);
    }

    QTemporaryDir m_dir;
    ExperimentConfig m_config = [] {
        ExperimentConfig config = defaultExperiment();
        config.name = "recorded";
        config.method = "global_magnitude";
        return config;
    }();
    std::atomic<bool> m_cancel{false};
    std::string m_executedMethod;
    const std::atomic<bool>* m_cancelSeen = nullptr;
    std::string m_modelFile;
};

}  // namespace

TEST_F(RunRecordingTest, AFinishedRunIsStoredWithItsEventsAndSummary)
{
    RunStore store(dbPath());
    const int64_t sweepId = store.createSweep("sweep", "{}");
    CheckingObserver forward(store);
    const RecordedRun recorded = record(store, forward, scripted([] { return someSummary(); }), "unused", sweepId);

    ASSERT_GT(recorded.runId, 0);
    EXPECT_EQ(recorded.status, RunStatus::Finished);
    EXPECT_EQ(recorded.summary.testAccuracy, 0.8125);
    EXPECT_EQ(recorded.error, "");
    // onBegun comes first, with the new run's id; then every event, in the engine's order.
    const std::vector<std::string> expected = {"begun " + std::to_string(recorded.runId),
                                               "progress training",
                                               "epoch 1",
                                               "epoch 2",
                                               "step 1",
                                               "log pruned fc1"};
    EXPECT_EQ(forward.events, expected);
    EXPECT_EQ(forward.runId, recorded.runId);
    // Each epoch and step was in the store before the forward observer saw it.
    EXPECT_EQ(forward.storedEpochsWhenForwarded, (std::vector<size_t>{1, 2}));
    EXPECT_EQ(forward.storedStepsWhenForwarded, (std::vector<size_t>{1}));

    // The executor got the config, the caller's cancel flag and the run's artifact path.
    EXPECT_EQ(m_executedMethod, "global_magnitude");
    EXPECT_EQ(m_cancelSeen, &m_cancel);
    EXPECT_EQ(m_modelFile, store.artifactPath(recorded.runId, "model.pt").toStdString());

    const auto run = store.findRun(recorded.runId);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_EQ(run->name, "recorded");
    EXPECT_EQ(run->versions, "test versions");
    EXPECT_EQ(run->sweepId, sweepId);
    EXPECT_EQ(run->summary.testAccuracy, 0.8125);
    EXPECT_EQ(run->summary.nonzeros, 26661);
    EXPECT_EQ(run->errorMessage, "");
    ASSERT_EQ(store.epochs(recorded.runId).size(), 2u);
    EXPECT_EQ(store.epochs(recorded.runId)[1].extra.at("mask_distance"), 0.25);
    ASSERT_EQ(store.pruningSteps(recorded.runId).size(), 1u);
    EXPECT_EQ(store.pruningSteps(recorded.runId)[0].layers[0].channelsKept, 290);
}

TEST_F(RunRecordingTest, ACancelledRunEndsCancelledWithTheCallersMessageAndKeepsItsEpochs)
{
    RunStore store(dbPath());
    CheckingObserver forward(store);
    const RecordedRun recorded
        = record(store, forward, scripted([]() -> RunSummary { throw RunCancelled(); }), "cancelled by a signal");

    EXPECT_EQ(recorded.status, RunStatus::Cancelled);
    EXPECT_EQ(recorded.error, "");
    const auto run = store.findRun(recorded.runId);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::Cancelled);
    EXPECT_EQ(run->errorMessage, "cancelled by a signal");
    EXPECT_FALSE(run->finishedAt.empty());
    EXPECT_EQ(store.epochs(recorded.runId).size(), 2u);
    EXPECT_EQ(store.pruningSteps(recorded.runId).size(), 1u);
}

TEST_F(RunRecordingTest, TheDefaultCancelMessageSaysTheUserCancelled)
{
    RunStore store(dbPath());
    CheckingObserver forward(store);
    const RecordedRun recorded
        = recordRun(store, m_config, "v", forward, scripted([]() -> RunSummary { throw RunCancelled(); }), m_cancel);
    EXPECT_EQ(recorded.status, RunStatus::Cancelled);
    EXPECT_EQ(store.findRun(recorded.runId)->errorMessage, "cancelled by the user");
}

TEST_F(RunRecordingTest, AFailedRunEndsFailedAndKeepsTheMessage)
{
    RunStore store(dbPath());
    CheckingObserver forward(store);
    const RecordedRun recorded = record(
        store, forward, scripted([]() -> RunSummary { throw std::runtime_error("loss diverged at epoch 3"); }));

    EXPECT_EQ(recorded.status, RunStatus::Failed);
    EXPECT_EQ(recorded.error, "loss diverged at epoch 3");
    const auto run = store.findRun(recorded.runId);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::Failed);
    EXPECT_EQ(run->errorMessage, "loss diverged at epoch 3");
    EXPECT_EQ(store.epochs(recorded.runId).size(), 2u);
}

TEST_F(RunRecordingTest, AFailureOfTheBegunCallbackEndsTheRunFailedRatherThanLeavingItRunning)
{
    RunStore store(dbPath());
    CheckingObserver forward(store);
    bool executed = false;
    const RecordedRun recorded = recordRun(
        store, m_config, "v", forward,
        [&](const ExperimentConfig&, RunObserver&, const std::atomic<bool>&, const std::string&) {
            executed = true;
            return someSummary();
        },
        m_cancel, [](int64_t) { throw std::runtime_error("no terminal"); });

    EXPECT_FALSE(executed);
    EXPECT_EQ(recorded.status, RunStatus::Failed);
    EXPECT_EQ(store.findRun(recorded.runId)->status, RunStatus::Failed);
    EXPECT_EQ(store.findRun(recorded.runId)->errorMessage, "no terminal");
}

TEST_F(RunRecordingTest, AStorageErrorIsRethrownAndTheRunStoredAsFailedWithTheReason)
{
    RunStore store(dbPath());
    CheckingObserver forward(store);
    int64_t runId = 0;
    try {
        recordRun(store, m_config, "v", forward,
                  scripted([]() -> RunSummary { throw StorageError("runs.sqlite: database or disk is full"); }),
                  m_cancel, [&](int64_t id) { runId = id; });
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_STREQ(e.what(), "runs.sqlite: database or disk is full");
    }
    // Once left "running" and later shown as "interrupted"; now failed, saying why.
    ASSERT_GT(runId, 0);
    const auto run = store.findRun(runId);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::Failed);
    EXPECT_EQ(run->errorMessage, "the run database failed: runs.sqlite: database or disk is full");
}
