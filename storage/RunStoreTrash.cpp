// The trash: deleting a run marks it (runs.deleted_at), so a mistaken delete can be undone until
// the trash is emptied; emptying deletes the marked runs for good, rows and files.
#include "RunStore.h"

#include "SqlTransaction.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

namespace prunescope {

void RunStore::trashRun(int64_t runId)
{
    const std::optional<StoredRun> stored = findRun(runId);
    if (!stored)
        throw StorageError(m_path.toStdString() + ": there is no run " + std::to_string(runId));
    // Its worker still writes epochs and steps into it; emptying the trash would pull the rows
    // from under it.
    if (stored->status == RunStatus::Running)
        throw StorageError("run " + std::to_string(runId) + " is still running: cancel it first");
    if (!stored->deletedAt.empty())
        return;  // already in the trash
    QSqlQuery query = prepare("UPDATE runs SET deleted_at=? WHERE id=? AND deleted_at IS NULL");
    query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    query.addBindValue(qint64(runId));
    run(query, "moving a run to the trash");
}

void RunStore::restoreRun(int64_t runId)
{
    QSqlQuery query = prepare("UPDATE runs SET deleted_at=NULL WHERE id=? AND deleted_at IS NOT NULL");
    query.addBindValue(qint64(runId));
    run(query, "restoring a run from the trash");
    if (query.numRowsAffected() == 0)
        throw StorageError(m_path.toStdString() + ": run " + std::to_string(runId) + " is not in the trash");
}

std::vector<StoredRun> RunStore::trashedRuns() const
{
    QSqlQuery query = prepare("SELECT * FROM runs WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC");
    run(query, "listing the trash");
    std::vector<StoredRun> runs;
    while (query.next())
        runs.push_back(runFromQuery(query));
    attachLatency(runs);
    return runs;
}

int RunStore::emptyTrash()
{
    // Rows first, in one transaction (the cascade removes the children); then the files, whose
    // failure leaves only orphaned files, as deleteRun does.
    std::vector<int64_t> ids;
    {
        QSqlDatabase db = database();
        SqlTransaction transaction(db, m_path);
        QSqlQuery trashed = prepare("SELECT id FROM runs WHERE deleted_at IS NOT NULL");
        run(trashed, "listing the trash");
        while (trashed.next())
            ids.push_back(trashed.value(0).toLongLong());
        QSqlQuery remove = prepare("DELETE FROM runs WHERE deleted_at IS NOT NULL");
        run(remove, "emptying the trash");
        transaction.commit();
    }
    for (const int64_t id : ids)
        removeArtifacts(id);
    return int(ids.size());
}

}  // namespace prunescope
