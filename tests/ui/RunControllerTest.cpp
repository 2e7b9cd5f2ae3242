// The run controller's cancel on a run that never reaches its next cancellation point (a model
// stuck in its forward pass): after abandonAfterMs the run is stored as cancelled with the reason,
// the window is free again, and the next run goes to a new worker.
#include "FakeEngine.h"
#include "RunController.h"
#include "RunStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <atomic>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

constexpr int kSignalTimeoutMs = 20000;

TEST(RunControllerTest, ARunThatIgnoresCancelIsAbandonedAndTheNextRunStillRuns)
{
    QTemporaryDir dir;
    const QString database = dir.filePath("runs.sqlite");
    std::atomic<bool> release{false};
    std::atomic<int> calls{0};
    FakeEngine quick;
    const ExperimentExecutor quickRun = quick.executor();
    // The first run blocks until the test releases it, whatever its cancel flag says.
    const ExperimentExecutor executor = [&](const ExperimentConfig& config, RunObserver& observer,
                                            const std::atomic<bool>& cancel, const std::string& modelFile) {
        if (calls.fetch_add(1) == 0) {
            observer.onProgress({});
            release.wait(false);
        }
        return quickRun(config, observer, cancel, modelFile);
    };
    {
        RunController controller(database, executor);
        controller.setAbandonAfterMs(200);
        QSignalSpy started(&controller, &RunController::runStarted);
        QSignalSpy cancelled(&controller, &RunController::cancelled);
        QSignalSpy finished(&controller, &RunController::finished);
        ASSERT_TRUE(controller.start(defaultExperiment()));
        ASSERT_TRUE(started.wait(kSignalTimeoutMs));
        const qint64 stuckRun = started.at(0).at(0).toLongLong();

        controller.cancel();
        ASSERT_TRUE(cancelled.wait(kSignalTimeoutMs)) << "the window would wait for ever";
        EXPECT_EQ(cancelled.at(0).at(0).toLongLong(), stuckRun);
        EXPECT_FALSE(controller.isRunning());
        {
            const auto run = RunStore(database).findRun(stuckRun);
            ASSERT_TRUE(run);
            EXPECT_EQ(run->status, RunStatus::Cancelled);
            EXPECT_NE(run->errorMessage.find("abandoned: it did not stop within 0.2 s of Cancel"), std::string::npos)
                << run->errorMessage;
        }

        // The next run is taken by a fresh worker and finishes.
        ASSERT_TRUE(controller.start(defaultExperiment()));
        ASSERT_TRUE(finished.wait(kSignalTimeoutMs));
        EXPECT_NE(finished.at(0).at(0).toLongLong(), stuckRun);
        EXPECT_EQ(cancelled.size(), 1);

        // The stuck run, released at last, changes nothing: its late finish is dropped and its
        // row stays cancelled.
        release = true;
        release.notify_all();
    }
    RunStore store(database);
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].status, RunStatus::Finished);
    EXPECT_EQ(runs[1].status, RunStatus::Cancelled);
}

// A run that does stop when asked is not abandoned: it ends cancelled by itself, once.
TEST(RunControllerTest, ARunThatStopsWhenAskedIsNotAbandoned)
{
    QTemporaryDir dir;
    FakeEngine engine;
    engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.holdUntilCancelled = true;
        return run;
    };
    RunController controller(dir.filePath("runs.sqlite"), engine.executor());
    controller.setAbandonAfterMs(60000);
    QSignalSpy started(&controller, &RunController::runStarted);
    QSignalSpy cancelled(&controller, &RunController::cancelled);
    ASSERT_TRUE(controller.start(defaultExperiment()));
    ASSERT_TRUE(started.wait(kSignalTimeoutMs));
    controller.cancel();
    ASSERT_TRUE(cancelled.wait(kSignalTimeoutMs));
    const auto run = RunStore(dir.filePath("runs.sqlite")).findRun(started.at(0).at(0).toLongLong());
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::Cancelled);
    EXPECT_EQ(run->errorMessage.find("abandoned"), std::string::npos) << run->errorMessage;
}

}  // namespace
