#include "RunStoreRecovery.h"

#include "RunStore.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUrl>
#include <QVariant>

#include <algorithm>
#include <atomic>

namespace prunescope {
namespace {

std::atomic<int> g_recoveryConnections{0};

// The tables of the current schema (from the new file) and their columns, so rows are copied by
// name whatever order the damaged file's columns were added in.
struct TableColumns {
    QString table;
    QString columns;  // "a, b, c"
    bool perRun = false;  // has a run_id column
};

std::vector<TableColumns> tablesOf(QSqlDatabase& db, const std::string& path)
{
    std::vector<TableColumns> tables;
    QSqlQuery names(db);
    if (!names.exec("SELECT name FROM main.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))
        throw StorageError(path + ": cannot list the new database's tables: " + names.lastError().text().toStdString());
    while (names.next()) {
        TableColumns entry;
        entry.table = names.value(0).toString();
        QSqlQuery info(db);
        if (!info.exec(QStringLiteral("PRAGMA main.table_info(%1)").arg(entry.table)))
            throw StorageError(path + ": cannot read the columns of " + entry.table.toStdString());
        QStringList columns;
        while (info.next()) {
            const QString column = info.value(1).toString();
            columns << column;
            entry.perRun = entry.perRun || column == "run_id";
        }
        entry.columns = columns.join(", ");
        tables.push_back(entry);
    }
    return tables;
}

}  // namespace

RecoveryReport recoverRuns(const QString& damagedPath, const QString& newPath)
{
    if (QFileInfo::exists(newPath))
        throw StorageError(newPath.toStdString() + ": already exists; recover writes a new database only");
    // Read-only, damage allowed: the salvage list of ids, and the check that the file is ours.
    std::vector<int64_t> ids;
    {
        const RunStore damaged(damagedPath, StoreAccess::ReadOnly);
        if (damaged.schemaVersion() != RunStore::kSchemaVersion)
            throw StorageError(damagedPath.toStdString() + ": schema " + std::to_string(damaged.schemaVersion())
                               + ", this program recovers schema " + std::to_string(RunStore::kSchemaVersion));
        ids = damaged.runIdsForSalvage();
    }
    {
        RunStore created(newPath);  // the current schema, marked as ours
    }

    RecoveryReport report;
    const QString connection = QStringLiteral("prunescope-recovery-%1").arg(g_recoveryConnections.fetch_add(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", connection);
        db.setDatabaseName(newPath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_URI"));
        if (!db.open())
            throw StorageError(newPath.toStdString() + ": cannot open: " + db.lastError().text().toStdString());
        const std::string newName = newPath.toStdString();
        const std::vector<TableColumns> tables = tablesOf(db, newName);
        QSqlQuery attach(db);
        // mode=ro: SQLite itself refuses any write to the damaged file.
        QUrl source = QUrl::fromLocalFile(QFileInfo(damagedPath).absoluteFilePath());
        source.setQuery(QStringLiteral("mode=ro"));
        if (!attach.exec(QStringLiteral("ATTACH DATABASE '%1' AS damaged")
                             .arg(source.toString(QUrl::FullyEncoded).replace("'", "''"))))
            throw StorageError(damagedPath.toStdString()
                               + ": cannot attach it read-only: " + attach.lastError().text().toStdString());
        // Each copy commits on its own: a statement that meets a damaged page fails alone, and
        // SQLite may roll back a surrounding transaction after such an error.
        const auto copy = [&](const QString& sql, qint64 id) {
            QSqlQuery query(db);
            if (!query.prepare(sql))
                return false;
            if (id >= 0)
                query.addBindValue(id);
            return query.exec();
        };
        // Rows not tied to a run (sweeps) first, as a whole.
        for (const TableColumns& table : tables) {
            if (table.perRun || table.table == "runs")
                continue;
            if (!copy(QStringLiteral("INSERT OR IGNORE INTO main.%1 (%2) SELECT %2 FROM damaged.%1")
                          .arg(table.table, table.columns),
                      -1))
                report.losses.push_back("the table " + table.table.toStdString() + " is unreadable");
        }
        const auto runs = std::find_if(tables.begin(), tables.end(), [](const auto& t) { return t.table == "runs"; });
        for (const int64_t id : ids) {
            QSqlQuery exists(db);
            exists.prepare("SELECT COUNT(*) FROM damaged.runs WHERE id=?");
            exists.addBindValue(qint64(id));
            if (!exists.exec() || !exists.next()) {
                report.losses.push_back("run " + std::to_string(id) + ": unreadable");
                continue;
            }
            if (exists.value(0).toLongLong() == 0)
                continue;  // deleted for good long ago: nothing to lose
            if (!copy(QStringLiteral("INSERT INTO main.runs (%1) SELECT %1 FROM damaged.runs WHERE id=?")
                          .arg(runs->columns),
                      id)) {
                report.losses.push_back("run " + std::to_string(id) + ": unreadable");
                continue;
            }
            bool whole = true;
            for (const TableColumns& table : tables) {
                if (!table.perRun)
                    continue;
                if (!copy(QStringLiteral("INSERT INTO main.%1 (%2) SELECT %2 FROM damaged.%1 WHERE run_id=?")
                              .arg(table.table, table.columns),
                          id)) {
                    report.losses.push_back("run " + std::to_string(id) + ": its rows in " + table.table.toStdString()
                                            + " are unreadable");
                    whole = false;
                }
            }
            if (whole)
                report.recoveredRuns.push_back(id);
        }
        QSqlQuery(db).exec("DETACH DATABASE damaged");
    }
    QSqlDatabase::removeDatabase(connection);
    return report;
}

}  // namespace prunescope
