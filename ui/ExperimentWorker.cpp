#include "ExperimentWorker.h"

#include "RunStore.h"
#include "experiment/Runner.h"

#include <QElapsedTimer>

namespace prunescope {

namespace {

// Forwards the run's events as signals (recordRun has stored them first). Progress is throttled
// here, at the source, to ten events a second: a faster stream only floods the UI's event queue.
class ForwardingObserver : public RunObserver {
public:
    ForwardingObserver(ExperimentWorker& worker, quint64 generation) : m_worker(worker), m_generation(generation)
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
    void onEpoch(const EpochMetrics& metrics) override { Q_EMIT m_worker.epoch(m_generation, metrics); }
    void onPruningStep(const PruningStep& step) override { Q_EMIT m_worker.pruningStep(m_generation, step); }
    void onLog(const std::string& message) override
    {
        Q_EMIT m_worker.log(m_generation, QString::fromStdString(message));
    }

private:
    ExperimentWorker& m_worker;
    quint64 m_generation;
    RunStage m_lastStage = RunStage::Done;
    QElapsedTimer m_sinceProgress;
};

}  // namespace

ExperimentExecutor engineExecutor()
{
    return [](const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
              const std::string& modelFile) { return runExperiment(config, observer, cancel, RunOutputs{modelFile}); };
}

ExperimentWorker::ExperimentWorker(ExperimentExecutor execute, QObject* parent)
    : QObject(parent), m_execute(std::move(execute))
{
}

void ExperimentWorker::start(quint64 generation, const ExperimentConfig& config, const QString& databasePath,
                             std::shared_ptr<const std::atomic<bool>> cancel)
{
    qint64 runId = 0;
    try {
        RunStore store(databasePath);
        ForwardingObserver observer(*this, generation);
        const RecordedRun run
            = recordRun(store, config, engineVersions(), observer, m_execute, *cancel, [&](int64_t begun) {
                  runId = begun;
                  Q_EMIT runStarted(generation, runId);
              });
        switch (run.status) {
        case RunStatus::Finished:
            Q_EMIT finished(generation, runId, run.summary);
            break;
        case RunStatus::Cancelled:
            Q_EMIT cancelled(generation, runId);
            break;
        default:
            Q_EMIT failed(generation, runId, QString::fromStdString(run.error));
            break;
        }
    } catch (const std::exception& e) {
        Q_EMIT failed(generation, runId, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT failed(generation, runId, QStringLiteral("unexpected error"));
    }
}

void ExperimentWorker::runSweep(quint64 generation, const SweepPlan& plan, const std::vector<ExperimentConfig>& points,
                                const QString& databasePath, std::shared_ptr<const std::atomic<bool>> cancel)
{
    qint64 sweepId = 0;
    int finishedRuns = 0;
    try {
        RunStore store(databasePath);
        sweepId = beginSweep(store, plan);
        Q_EMIT sweepStarted(generation, sweepId, int(points.size()));
        for (size_t i = 0; i < points.size(); ++i) {
            if (cancel->load()) {
                Q_EMIT sweepEnded(generation, sweepId, finishedRuns, true, {});
                return;
            }
            qint64 runId = 0;
            ForwardingObserver observer(*this, generation);
            const RecordedRun run = recordRun(
                store, points[i], engineVersions(), observer, m_execute, *cancel,
                [&](int64_t begun) {
                    runId = begun;
                    Q_EMIT runStarted(generation, runId);
                },
                sweepId);
            const char* status = run.status == RunStatus::Finished ? "finished"
                : run.status == RunStatus::Cancelled               ? "cancelled"
                                                                   : "failed";
            finishedRuns += run.status == RunStatus::Finished ? 1 : 0;
            Q_EMIT sweepRunEnded(generation, int(i), runId, QString::fromLatin1(status),
                                 QString::fromStdString(run.error));
            if (run.status == RunStatus::Cancelled) {
                Q_EMIT sweepEnded(generation, sweepId, finishedRuns, true, {});
                return;
            }
        }
        Q_EMIT sweepEnded(generation, sweepId, finishedRuns, false, {});
    } catch (const std::exception& e) {
        Q_EMIT sweepEnded(generation, sweepId, finishedRuns, false, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT sweepEnded(generation, sweepId, finishedRuns, false, QStringLiteral("unexpected error"));
    }
}

}  // namespace prunescope
