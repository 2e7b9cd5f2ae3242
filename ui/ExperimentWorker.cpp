#include "ExperimentWorker.h"

#include "RunStore.h"
#include "experiment/Runner.h"

#include <QElapsedTimer>
#include <QStringList>

#include <cmath>

namespace prunescope {

void registerUiMetaTypes()
{
    qRegisterMetaType<ExperimentConfig>();
    qRegisterMetaType<ProgressEvent>();
    qRegisterMetaType<EpochMetrics>();
    qRegisterMetaType<PruningStep>();
    qRegisterMetaType<RunSummary>();
}

QString shapeText(const std::vector<int64_t>& shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral(" × "));
}

QString formatEta(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("estimating…");
    const auto total = qint64(std::llround(seconds));
    if (total >= 3600)
        return QStringLiteral("%1:%2:%3").arg(total / 3600).arg((total / 60) % 60, 2, 10, QChar('0')).arg(total % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
}

namespace {

// Forwards the runner's events as signals and records the run. Progress is throttled here,
// at the source, to ten events a second: a faster stream only floods the UI's event queue.
class ForwardingObserver : public RunObserver {
public:
    ForwardingObserver(ExperimentWorker& worker, quint64 generation, RunStore& store, qint64 runId)
        : m_worker(worker), m_generation(generation), m_store(store), m_runId(runId)
    {
        m_sinceProgress.start();
    }

    void onProgress(const ProgressEvent& event) override
    {
        const bool stageChanged = event.stage != m_lastStage;
        if (!stageChanged && event.stage != RunStage::Done && m_sinceProgress.elapsed() < 100)
            return;
        m_lastStage = event.stage;
        m_sinceProgress.restart();
        Q_EMIT m_worker.progress(m_generation, event);
    }
    void onEpoch(const EpochMetrics& metrics) override
    {
        m_store.recordEpoch(m_runId, metrics);
        Q_EMIT m_worker.epoch(m_generation, metrics);
    }
    void onPruningStep(const PruningStep& step) override
    {
        m_store.recordPruningStep(m_runId, step);
        Q_EMIT m_worker.pruningStep(m_generation, step);
    }
    void onLog(const std::string& message) override
    {
        Q_EMIT m_worker.log(m_generation, QString::fromStdString(message));
    }

private:
    ExperimentWorker& m_worker;
    quint64 m_generation;
    RunStore& m_store;
    qint64 m_runId;
    RunStage m_lastStage = RunStage::Done;
    QElapsedTimer m_sinceProgress;
};

}  // namespace

void ExperimentWorker::start(quint64 generation, const ExperimentConfig& config, const QString& databasePath)
{
    m_cancel.store(false);
    qint64 runId = 0;
    try {
        RunStore store(databasePath);
        runId = store.beginRun(config, engineVersions());
        Q_EMIT runStarted(generation, runId);
        ForwardingObserver observer(*this, generation, store, runId);
        try {
            const RunOutputs outputs{store.artifactPath(runId, QStringLiteral("model.pt")).toStdString()};
            const RunSummary summary = runExperiment(config, observer, m_cancel, outputs);
            store.finishRun(runId, summary);
            Q_EMIT finished(generation, runId, summary);
        } catch (const RunCancelled&) {
            store.endRun(runId, RunStatus::Cancelled, "cancelled by the user");
            Q_EMIT cancelled(generation, runId);
        } catch (const StorageError&) {
            throw;  // the store itself failed: recording the failure in it would fail too
        } catch (const std::exception& e) {
            store.endRun(runId, RunStatus::Failed, e.what());
            Q_EMIT failed(generation, runId, QString::fromStdString(e.what()));
        }
    } catch (const std::exception& e) {
        Q_EMIT failed(generation, runId, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT failed(generation, runId, QStringLiteral("unexpected error"));
    }
}

}  // namespace prunescope
