#pragma once
// Runs one experiment at a time on its own QThread and re-emits the engine's events as queued
// signals carrying value structs. Every signal carries the generation of the run it belongs to,
// so the controller can drop what a run it no longer shows still sends.

#include "RunRecording.h"
#include "SweepRecording.h"
#include "UiTypes.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace prunescope {

// The engine: runExperiment(), writing the final network where the store keeps the run's files.
ExperimentExecutor engineExecutor();

class ExperimentWorker : public QObject {
    Q_OBJECT
public:
    explicit ExperimentWorker(ExperimentExecutor execute, QObject* parent = nullptr);

    // Opens its own RunStore on the worker thread, records the run there through recordRun(),
    // and never lets an exception escape: every ending is a signal. `cancel` is the run's own
    // flag, created when the run was queued and set from the UI thread; the executor checks it
    // between batches. (A flag the worker reset when it started would lose a cancel issued while
    // the run was still queued.)
    void start(quint64 generation, const prunescope::ExperimentConfig& config, const QString& databasePath,
               std::shared_ptr<const std::atomic<bool>> cancel);

    // Runs a sweep's points one after the other, each recorded through recordRun with the sweep's
    // id, as `prunescope-cli sweep` does. The runs' events go out as for a single run (runStarted,
    // progress, epoch, …) and each run's ending as sweepRunEnded. The cancel flag is the sweep's:
    // once set, the current run ends as cancelled and the points not yet started are dropped
    // (the runs done stay stored). sweepEnded comes last, whatever happened.
    void runSweep(quint64 generation, const prunescope::SweepPlan& plan,
                  const std::vector<prunescope::ExperimentConfig>& points, const QString& databasePath,
                  std::shared_ptr<const std::atomic<bool>> cancel);

Q_SIGNALS:
    void runStarted(quint64 generation, qint64 runId);
    void progress(quint64 generation, const prunescope::ProgressEvent& event);
    void epoch(quint64 generation, const prunescope::EpochMetrics& metrics);
    void pruningStep(quint64 generation, const prunescope::PruningStep& step);
    void log(quint64 generation, const QString& message);
    void finished(quint64 generation, qint64 runId, const prunescope::RunSummary& summary);
    void cancelled(quint64 generation, qint64 runId);
    void failed(quint64 generation, qint64 runId, const QString& message);
    void sweepStarted(quint64 generation, qint64 sweepId, int runs);
    // index: the point's place in the sweep (0-based); status "finished", "cancelled" or "failed".
    void sweepRunEnded(quint64 generation, int index, qint64 runId, const QString& status, const QString& error);
    // finishedRuns: those that finished; cancelled: the queue was dropped; error: the sweep itself
    // could not go on (the store failed), empty otherwise.
    void sweepEnded(quint64 generation, qint64 sweepId, int finishedRuns, bool cancelled, const QString& error);

private:
    ExperimentExecutor m_execute;
};

}  // namespace prunescope
