#include "RunRecording.h"

// RunCancelled only; the header is LibTorch-free.
#include "core/RunCancelled.h"
#include "core/TextFormat.h"

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
    } catch (const StorageError& e) {
        // The store itself failed (a full disk, a lost lock). Recording that may still work (an
        // UPDATE of an existing row needs no new page); if it does not, the row stays "running"
        // and reads as interrupted later. Either way the caller hears of the storage error.
        try {
            store.endRun(recorded.runId, RunStatus::Failed, std::string("the run database failed: ") + e.what());
        } catch (const std::exception&) {
        }
        throw;
    } catch (const std::exception& e) {
        // Stored with the run and shown to the user: LibTorch's C++ backtrace helps neither.
        recorded.error = withoutTorchBacktrace(e.what());
        store.endRun(recorded.runId, RunStatus::Failed, recorded.error);
        recorded.status = RunStatus::Failed;
    }
    return recorded;
}

}  // namespace prunescope
