#pragma once
// Runs one experiment at a time on its own QThread and re-emits the engine's events as queued
// signals carrying value structs. Every signal carries the generation of the run it belongs to,
// so the controller can drop what a run it no longer shows still sends.

#include "RunRecording.h"
#include "UiTypes.h"

#include <QObject>
#include <QString>

#include <atomic>

namespace prunescope {

// The engine: runExperiment(), writing the final network where the store keeps the run's files.
ExperimentExecutor engineExecutor();

class ExperimentWorker : public QObject {
    Q_OBJECT
public:
    explicit ExperimentWorker(ExperimentExecutor execute, QObject* parent = nullptr);

    // Deliberately not a slot: it must take effect while start() is busy on the worker thread,
    // so the UI thread sets the flag directly. The runner checks it between batches.
    void cancel()
    {
        m_cancel.store(true);
        m_cancel.notify_all();  // an executor may block on the flag (std::atomic::wait) rather than poll it
    }

public Q_SLOTS:
    // Opens its own RunStore on the worker thread, records the run there through recordRun(),
    // and never lets an exception escape: every ending is a signal.
    void start(quint64 generation, const prunescope::ExperimentConfig& config, const QString& databasePath);

Q_SIGNALS:
    void runStarted(quint64 generation, qint64 runId);
    void progress(quint64 generation, const prunescope::ProgressEvent& event);
    void epoch(quint64 generation, const prunescope::EpochMetrics& metrics);
    void pruningStep(quint64 generation, const prunescope::PruningStep& step);
    void log(quint64 generation, const QString& message);
    void finished(quint64 generation, qint64 runId, const prunescope::RunSummary& summary);
    void cancelled(quint64 generation, qint64 runId);
    void failed(quint64 generation, qint64 runId, const QString& message);

private:
    ExperimentExecutor m_execute;
    std::atomic<bool> m_cancel{false};
};

}  // namespace prunescope
