#pragma once
// Runs one experiment at a time for the window: owns the ExperimentWorker and its thread, numbers
// each run (its generation) so what an earlier run still sends is dropped, holds the run's cancel
// flag, and re-emits the current run's events for the pages. It runs experiments through an
// ExperimentExecutor: the engine's runExperiment by default, a scripted fake in UI tests.

#include "RunRecording.h"
#include "SweepRecording.h"
#include "UiTypes.h"

#include <QElapsedTimer>
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
    // Queues a sweep's points (sweepPoints(plan), checked by the caller) as one job on the worker:
    // its runs one after the other, stored with the sweep. False when something is running.
    // While it goes, progress is the sweep's ("run 3 of 12 · …", the ETA of the whole queue);
    // cancel() stops the current run and drops the rest of the queue.
    bool startSweep(const SweepPlan& plan, const std::vector<ExperimentConfig>& points);
    bool isSweeping() const { return m_sweepRuns > 0; }
    // Takes effect whether the run is already executing or still queued behind the worker's
    // event loop: each run has its own flag, created with it, which nothing resets.
    void cancel();
    bool isRunning() const { return m_running; }
    qint64 currentRunId() const { return m_currentRunId; }
    QString databasePath() const { return m_databasePath; }
    // File ▸ Open: the next runs are recorded there. Only while nothing runs (false otherwise).
    bool setDatabasePath(const QString& databasePath);
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
    // A sweep: started; each run ended (index 0-based of `runs`; status "finished", "cancelled"
    // or "failed"); the whole sweep ended, after runningChanged(false).
    void sweepStarted(qint64 sweepId, int runs);
    void sweepRunEnded(int index, int runs, qint64 runId, const QString& status, const QString& error);
    void sweepEnded(qint64 sweepId, int finishedRuns, bool cancelled, const QString& error);

private:
    // The run's progress as part of the sweep: the whole queue's fraction and ETA.
    ProgressEvent sweepProgress(const ProgressEvent& run) const;

    bool isCurrent(quint64 generation) const { return generation == m_generation; }
    void setRunning(bool running);

    QString m_databasePath;
    QThread m_thread;
    ExperimentWorker* m_worker = nullptr;
    quint64 m_generation = 0;
    bool m_running = false;
    qint64 m_currentRunId = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;  // the current run's flag, shared with the worker
    // The sweep under way: its size (0: none), the run in progress, and the clocks of the sweep
    // and of its current run, for the queue's ETA.
    int m_sweepRuns = 0;
    int m_sweepIndex = 0;
    QElapsedTimer m_sweepClock;
    QElapsedTimer m_sweepRunClock;
};

}  // namespace prunescope
