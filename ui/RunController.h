#pragma once
// Runs one experiment at a time for the window: owns the ExperimentWorker and its thread, numbers
// each run (its generation) so what an earlier run still sends is dropped, holds the run's cancel
// flag, and re-emits the current run's events for the pages. It runs experiments through an
// ExperimentExecutor: the engine's runExperiment by default, a scripted fake in UI tests.

#include "RunRecording.h"
#include "UiTypes.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace prunescope {

class ExperimentWorker;

class RunController : public QObject {
    Q_OBJECT
public:
    RunController(const QString& databasePath, ExperimentExecutor executor, QObject* parent = nullptr);
    // Cancels a run still going and waits for the worker thread to end.
    ~RunController() override;

    // Queues the run on the worker thread; false when one is already running. The config is
    // not validated here (the window checks it first, so it can say why it refuses).
    bool start(const ExperimentConfig& config);
    // Takes effect whether the run is already executing or still queued behind the worker's
    // event loop: each run has its own flag, created with it, which nothing resets.
    void cancel();
    bool isRunning() const { return m_running; }
    qint64 currentRunId() const { return m_currentRunId; }
    QString databasePath() const { return m_databasePath; }
    // For tests: the object that executes runs, living on the worker thread.
    ExperimentWorker* worker() const { return m_worker; }

Q_SIGNALS:
    void runningChanged(bool running);
    void runStarted(qint64 runId);
    void progress(const prunescope::ProgressEvent& event);
    void epoch(const prunescope::EpochMetrics& metrics);
    void pruningStep(const prunescope::PruningStep& step);
    void log(const QString& message);
    // After runningChanged(false).
    void finished(qint64 runId, const prunescope::RunSummary& summary);
    void cancelled(qint64 runId);
    void failed(qint64 runId, const QString& message);

private:
    bool isCurrent(quint64 generation) const { return generation == m_generation; }
    void setRunning(bool running);

    QString m_databasePath;
    QThread m_thread;
    ExperimentWorker* m_worker = nullptr;
    quint64 m_generation = 0;
    bool m_running = false;
    qint64 m_currentRunId = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;  // the current run's flag, shared with the worker
};

}  // namespace prunescope
