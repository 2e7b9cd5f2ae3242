#include "RunController.h"

#include "ExperimentWorker.h"

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
        Q_EMIT runStarted(runId);
    });
    connect(m_worker, &ExperimentWorker::progress, this, [this](quint64 generation, const ProgressEvent& event) {
        if (isCurrent(generation))
            Q_EMIT progress(event);
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
