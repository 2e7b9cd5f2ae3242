#include "StoredRunReader.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace prunescope {
namespace {

struct ReadResult {
    std::optional<StoredRunData> data;
    QString problem;
};

ReadResult readRun(const QString& databasePath, qint64 runId)
{
    ReadResult result;
    try {
        // This pool thread's own connection; reading only, so a damaged file can still be read.
        const RunStore store(databasePath, StoreAccess::ReadOnly);
        std::optional<StoredRun> run = store.findRun(runId);
        if (!run) {
            result.problem = QObject::tr("there is no run %1").arg(runId);
            return result;
        }
        result.data
            = StoredRunData{std::move(*run), store.epochs(runId), store.pruningSteps(runId, /*withMasks=*/false)};
    } catch (const std::exception& e) {
        result.problem = QString::fromStdString(e.what());
    }
    return result;
}

}  // namespace

StoredRunReader::StoredRunReader(const QString& databasePath, QObject* parent)
    : QObject(parent), m_databasePath(databasePath)
{
}

StoredRunReader::~StoredRunReader()
{
    for (auto* watcher : findChildren<QFutureWatcherBase*>())
        watcher->waitForFinished();
}

void StoredRunReader::read(qint64 runId)
{
    const quint64 request = ++m_request;
    ++m_pending;
    auto* watcher = new QFutureWatcher<ReadResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request, runId] {
        const ReadResult result = watcher->result();
        watcher->deleteLater();
        --m_pending;
        if (request != m_request)
            return;  // another run was asked for meanwhile, or a live run took the charts
        if (result.data)
            Q_EMIT runRead(*result.data);
        else
            Q_EMIT readFailed(runId, result.problem);
    });
    watcher->setFuture(QtConcurrent::run(&readRun, m_databasePath, runId));
}

}  // namespace prunescope
