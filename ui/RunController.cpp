#include "RunController.h"

#include "ExperimentWorker.h"

#include <algorithm>

namespace prunescope {

RunController::RunController(const QString& databasePath, ExperimentExecutor executor, QObject* parent)
    : QObject(parent), m_databasePath(databasePath)
{
    registerUiMetaTypes();
    m_worker = new ExperimentWorker(executor ? std::move(executor) : engineExecutor());
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ExperimentWorker::runStarted, this, [this](quint64 generation, qint64 runId) {
        if (!isCurrent(generation))
            return;
        m_currentRunId = runId;
        m_sweepRunClock.start();
        Q_EMIT runStarted(runId);
    });
    connect(m_worker, &ExperimentWorker::sweepStarted, this, [this](quint64 generation, qint64 sweepId, int runs) {
        if (isCurrent(generation))
            Q_EMIT sweepStarted(sweepId, runs);
    });
    connect(m_worker, &ExperimentWorker::sweepRunEnded, this,
            [this](quint64 generation, int index, qint64 runId, const QString& status, const QString& error) {
                if (!isCurrent(generation))
                    return;
                m_sweepIndex = index + 1;
                Q_EMIT sweepRunEnded(index, m_sweepRuns, runId, status, error);
            });
    connect(m_worker, &ExperimentWorker::sweepEnded, this,
            [this](quint64 generation, qint64 sweepId, int finishedRuns, bool cancelled, const QString& error) {
                if (!isCurrent(generation))
                    return;
                m_sweepRuns = 0;
                setRunning(false);
                Q_EMIT sweepEnded(sweepId, finishedRuns, cancelled, error);
            });
    connect(m_worker, &ExperimentWorker::progress, this, [this](quint64 generation, const ProgressEvent& event) {
        if (isCurrent(generation))
            Q_EMIT progress(isSweeping() ? sweepProgress(event) : event);
    });
    connect(m_worker, &ExperimentWorker::epoch, this, [this](quint64 generation, const EpochMetrics& metrics) {
        if (isCurrent(generation))
            Q_EMIT epoch(metrics);
    });
    connect(m_worker, &ExperimentWorker::pruningStep, this, [this](quint64 generation, const PruningStep& step) {
        if (isCurrent(generation))
            Q_EMIT pruningStep(step);
    });
    connect(m_worker, &ExperimentWorker::log, this, [this](quint64 generation, const QString& message) {
        if (isCurrent(generation))
            Q_EMIT log(message);
    });
    connect(m_worker, &ExperimentWorker::finished, this,
            [this](quint64 generation, qint64 runId, const RunSummary& summary) {
                if (!isCurrent(generation))
                    return;
                setRunning(false);
                Q_EMIT finished(runId, summary);
            });
    connect(m_worker, &ExperimentWorker::cancelled, this, [this](quint64 generation, qint64 runId) {
        if (!isCurrent(generation))
            return;
        setRunning(false);
        Q_EMIT cancelled(runId);
    });
    connect(m_worker, &ExperimentWorker::failed, this,
            [this](quint64 generation, qint64 runId, const QString& message) {
                if (!isCurrent(generation))
                    return;
                setRunning(false);
                Q_EMIT failed(runId, message);
            });
    m_thread.setObjectName("ExperimentWorker");
    m_thread.start();
}

RunController::~RunController()
{
    cancel();
    m_thread.quit();
    m_thread.wait();
}

bool RunController::start(const ExperimentConfig& config)
{
    if (m_running)
        return false;
    const quint64 generation = ++m_generation;
    m_currentRunId = 0;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    setRunning(true);
    ExperimentWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, generation, config, databasePath = m_databasePath, cancel = m_cancel] {
            worker->start(generation, config, databasePath, cancel);
        },
        Qt::QueuedConnection);
    return true;
}

bool RunController::startSweep(const SweepPlan& plan, const std::vector<ExperimentConfig>& points)
{
    if (m_running || points.empty())
        return false;
    const quint64 generation = ++m_generation;
    m_currentRunId = 0;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_sweepRuns = int(points.size());
    m_sweepIndex = 0;
    m_sweepClock.start();
    m_sweepRunClock.start();
    setRunning(true);
    ExperimentWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, generation, plan, points, databasePath = m_databasePath, cancel = m_cancel] {
            worker->runSweep(generation, plan, points, databasePath, cancel);
        },
        Qt::QueuedConnection);
    return true;
}

ProgressEvent RunController::sweepProgress(const ProgressEvent& run) const
{
    ProgressEvent sweep = run;
    const int runs = std::max(1, m_sweepRuns);
    sweep.overallFraction = (m_sweepIndex + run.overallFraction) / runs;
    sweep.message = tr("run %1 of %2 · %3")
                        .arg(m_sweepIndex + 1)
                        .arg(runs)
                        .arg(QString::fromStdString(run.message))
                        .toStdString();
    // The runs still to come take as long as those done so far on average; before one has
    // finished, as long as the current one is expected to take.
    const double runElapsed = m_sweepRunClock.elapsed() / 1000.0;
    double perRun = -1;
    if (m_sweepIndex > 0)
        perRun = (m_sweepClock.elapsed() / 1000.0 - runElapsed) / m_sweepIndex;
    else if (run.etaSeconds >= 0)
        perRun = runElapsed + run.etaSeconds;
    const int later = runs - m_sweepIndex - 1;
    sweep.etaSeconds = run.etaSeconds >= 0 && perRun >= 0 ? run.etaSeconds + later * perRun : -1;
    return sweep;
}

bool RunController::setDatabasePath(const QString& databasePath)
{
    if (m_running)
        return false;
    m_databasePath = databasePath;
    return true;
}

void RunController::cancel()
{
    if (!m_cancel)
        return;
    m_cancel->store(true);
    m_cancel->notify_all();  // an executor may block on the flag (std::atomic::wait) rather than poll it
}

void RunController::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

}  // namespace prunescope
