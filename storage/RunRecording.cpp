#include "RunRecording.h"

// RunCancelled only; the header is LibTorch-free.
#include "core/RunCancelled.h"

namespace prunescope {
namespace {

// Stores what must outlive the process, then passes every event on.
class RecordingObserver : public RunObserver {
public:
    RecordingObserver(RunStore& store, int64_t runId, RunObserver& forward)
        : m_store(store), m_runId(runId), m_forward(forward)
    {
    }

    void onProgress(const ProgressEvent& event) override { m_forward.onProgress(event); }
    void onEpoch(const EpochMetrics& metrics) override
    {
        m_store.recordEpoch(m_runId, metrics);
        m_forward.onEpoch(metrics);
    }
    void onPruningStep(const PruningStep& step) override
    {
        m_store.recordPruningStep(m_runId, step);
        m_forward.onPruningStep(step);
    }
    void onLog(const std::string& message) override { m_forward.onLog(message); }

private:
    RunStore& m_store;
    int64_t m_runId;
    RunObserver& m_forward;
};

}  // namespace

RecordedRun recordRun(RunStore& store, const ExperimentConfig& config, const std::string& versions,
                      RunObserver& forward, const ExperimentExecutor& execute, const std::atomic<bool>& cancel,
                      const std::function<void(int64_t runId)>& onBegun, int64_t sweepId,
                      const std::string& cancelMessage)
{
    RecordedRun recorded;
    recorded.runId = store.beginRun(config, versions, sweepId);
    // From here on the row exists: whatever happens, it ends finished, cancelled or failed, never
    // left "running" (which would read as an interrupted run once this process is gone).
    try {
        if (onBegun)
            onBegun(recorded.runId);
        RecordingObserver observer(store, recorded.runId, forward);
        const std::string modelFile = store.artifactPath(recorded.runId, QStringLiteral("model.pt")).toStdString();
        recorded.summary = execute(config, observer, cancel, modelFile);
        store.finishRun(recorded.runId, recorded.summary);
        recorded.status = RunStatus::Finished;
    } catch (const RunCancelled&) {
        store.endRun(recorded.runId, RunStatus::Cancelled, cancelMessage);
        recorded.status = RunStatus::Cancelled;
    } catch (const StorageError&) {
        throw;  // the store itself failed: recording the failure in it would fail too
    } catch (const std::exception& e) {
        recorded.error = e.what();
        store.endRun(recorded.runId, RunStatus::Failed, recorded.error);
        recorded.status = RunStatus::Failed;
    }
    return recorded;
}

}  // namespace prunescope
