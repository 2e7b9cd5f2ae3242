// Opening a run database: the connection, write-ahead logging, the schema and its chain of
// migrations; and the query helpers every RunStore method uses. Runs are written and read in
// RunStore.cpp.
#include "RunStore.h"

#include "SqlTransaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringList>
#include <QVariant>

#include <atomic>
#include <chrono>
#include <thread>

namespace prunescope {
namespace {

// Names each RunStore's Qt SQL connection uniquely (connections are per thread, stores many).
std::atomic<int> g_connectionCounter{0};

constexpr int kBusyTimeoutMs = 5000;

bool isBusy(const QSqlError& error)
{
    // Extended codes (SQLITE_BUSY_RECOVERY, ...) keep SQLITE_BUSY (5) in their low byte.
    return (error.nativeErrorCode().toInt() & 0xff) == 5;
}

// Schema v1: runs with their config and summary, and metric series.
const char* const kSchemaV1[] = {
    R"(CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL,
        method TEXT NOT NULL,
        seed INTEGER NOT NULL,
        config_json TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        error_message TEXT NOT NULL DEFAULT '',
        versions TEXT NOT NULL DEFAULT '',
        host TEXT NOT NULL DEFAULT '',
        pid INTEGER NOT NULL DEFAULT 0,
        dense_test_accuracy REAL, dense_test_loss REAL, pruned_test_accuracy REAL,
        test_accuracy REAL, test_loss REAL,
        parameters INTEGER, nonzeros INTEGER, prunable_parameters INTEGER, prunable_nonzeros INTEGER,
        sparsity REAL, compression_ratio REAL, dense_macs REAL, effective_macs REAL,
        theoretical_speedup REAL, dense_bytes INTEGER, sparse_bytes INTEGER,
        duration_seconds REAL, dense_from_cache INTEGER
    ))",
    R"(CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        phase TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        name TEXT NOT NULL,
        value REAL NOT NULL
    ))",
    "CREATE INDEX metrics_run ON metrics(run_id)",
};

// Schema v2: per-layer statistics and masks per pruning step; tags and notes on runs.
const char* const kSchemaV2[] = {
    R"(CREATE TABLE layers (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        position INTEGER NOT NULL,
        layer TEXT NOT NULL,
        kind TEXT NOT NULL,
        shape TEXT NOT NULL,
        parameters INTEGER NOT NULL,
        nonzeros INTEGER NOT NULL,
        dense_macs REAL NOT NULL,
        effective_macs REAL NOT NULL,
        pruned INTEGER NOT NULL
    ))",
    "CREATE INDEX layers_run ON layers(run_id, step)",
    R"(CREATE TABLE masks (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        position INTEGER NOT NULL,
        layer TEXT NOT NULL,
        shape TEXT NOT NULL,
        bits BLOB NOT NULL
    ))",
    "CREATE INDEX masks_run ON masks(run_id, step)",
    "ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
};

// Schema v3: per-step measurements (iterative methods: accuracy per round) and sweeps.
const char* const kSchemaV3[] = {
    R"(CREATE TABLE step_metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        name TEXT NOT NULL,
        value REAL NOT NULL
    ))",
    "CREATE INDEX step_metrics_run ON step_metrics(run_id, step)",
    R"(CREATE TABLE sweeps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        spec_json TEXT NOT NULL
    ))",
    "ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL",
};

// Schema v4: structured runs (channels removed), measured latency, the final network's file,
// and kept channels per layer.
const char* const kSchemaV4[] = {
    "ALTER TABLE runs ADD COLUMN structured INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE runs ADD COLUMN model_file TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE layers ADD COLUMN channels INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE layers ADD COLUMN channels_kept INTEGER NOT NULL DEFAULT 0",
    R"(CREATE TABLE latency (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        network TEXT NOT NULL,
        batch INTEGER NOT NULL,
        median_ms REAL NOT NULL,
        p10_ms REAL NOT NULL,
        p90_ms REAL NOT NULL,
        repeats INTEGER NOT NULL
    ))",
    "CREATE INDEX latency_run ON latency(run_id)",
};

// Schema v5: which deployment path each latency figure was measured on.
const char* const kSchemaV5[] = {
    "ALTER TABLE latency ADD COLUMN path TEXT NOT NULL DEFAULT ''",
};

// Schema v6 (additive): which training curve an epoch belongs to (a phase restarting from θ0
// opens a new one), and each latency's quartiles and extremes, so its spread can be judged.
const char* const kSchemaV6[] = {
    "ALTER TABLE metrics ADD COLUMN segment INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE latency ADD COLUMN p25_ms REAL NOT NULL DEFAULT 0",
    "ALTER TABLE latency ADD COLUMN p75_ms REAL NOT NULL DEFAULT 0",
    "ALTER TABLE latency ADD COLUMN min_ms REAL NOT NULL DEFAULT 0",
    "ALTER TABLE latency ADD COLUMN max_ms REAL NOT NULL DEFAULT 0",
};

// Schema v7: a deleted run goes to the trash (deleted_at set) and can be restored until the
// trash is emptied; only emptying removes its rows and files.
const char* const kSchemaV7[] = {
    "ALTER TABLE runs ADD COLUMN deleted_at TEXT",
};

}  // namespace

// Schema 0 with tables: another program's SQLite file (File ▸ Open, --db), never migrated into.
static void refuseForeignTables(const QSqlDatabase& db, const QString& path)
{
    QSqlQuery query(db);
    if (!query.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        throw StorageError(path.toStdString() + ": cannot read the list of tables (damaged file?): "
                           + query.lastError().text().toStdString());
    QStringList tables;
    while (query.next())
        tables << query.value(0).toString();
    if (!tables.isEmpty())
        throw StorageError(path.toStdString() + ": is not a PruneScope database (an SQLite file with the tables "
                           + tables.join(", ").left(120).toStdString() + "); it was left unchanged");
}

RunStore::RunStore(const QString& databasePath)
    : m_connectionName(QStringLiteral("prunescope-%1").arg(g_connectionCounter.fetch_add(1))), m_path(databasePath)
{
    const QFileInfo info(m_path);
    if (info.isDir())
        throw StorageError(m_path.toStdString() + ": is a folder, not a database file");
    if (!QDir().mkpath(info.absolutePath()))
        throw StorageError(m_path.toStdString() + ": cannot create the folder " + info.absolutePath().toStdString());
    // A file that exists but is not SQLite must not be touched: check its header first.
    if (info.exists() && info.size() > 0) {
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly))
            throw StorageError(m_path.toStdString() + ": cannot read the file (permissions?)");
        if (file.read(16) != QByteArray("SQLite format 3\0", 16))
            throw StorageError(m_path.toStdString()
                               + ": is not a PruneScope database (not an SQLite file); "
                                 "choose another path, the file was left unchanged");
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", m_connectionName);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        if (!db.open()) {
            const std::string error = db.lastError().text().toStdString();
            db = {};
            QSqlDatabase::removeDatabase(m_connectionName);
            throw StorageError(m_path.toStdString() + ": cannot open the database: " + error);
        }
    }
    try {
        exec("PRAGMA foreign_keys=ON");
        const int version = schemaVersion();
        if (version == 0)
            refuseForeignTables(database(), m_path);
        if (version > kSchemaVersion)
            throw StorageError(m_path.toStdString() + ": was written by a newer PruneScope (schema "
                               + std::to_string(version) + ", this program understands up to "
                               + std::to_string(kSchemaVersion) + "); it was left unchanged");
        enableWal();
        migrate(version);
        markInterruptedRuns();
    } catch (...) {
        closeConnection();
        throw;
    }
}

RunStore::~RunStore()
{
    closeConnection();
}

void RunStore::enableWal()
{
    // WAL lets the UI read while the worker writes; NORMAL sync is safe with WAL.
    // Switching a new file to WAL needs an exclusive lock, and when two connections both hold a
    // shared lock SQLite answers SQLITE_BUSY at once instead of waiting (waiting would deadlock),
    // so the busy timeout does not cover it: retry for as long as the busy timeout would wait.
    // Only the first open of a new file can contend; afterwards the mode is already WAL.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    for (;;) {
        QSqlQuery query(database());
        if (query.exec("PRAGMA journal_mode=WAL"))
            break;
        if (!isBusy(query.lastError()) || std::chrono::steady_clock::now() > deadline)
            throw StorageError(m_path.toStdString()
                               + ": cannot switch to write-ahead logging: " + query.lastError().text().toStdString());
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    exec("PRAGMA synchronous=NORMAL");
}

void RunStore::closeConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase RunStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

QString RunStore::defaultPath()
{
    const QByteArray overridePath = qgetenv("PRUNESCOPE_DB");
    if (!overridePath.isEmpty())
        return QString::fromLocal8Bit(overridePath);
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/PruneScope/runs.sqlite";
}

QString RunStore::path() const
{
    return m_path;
}

QSqlQuery RunStore::prepare(const QString& sql) const
{
    QSqlQuery query(database());
    if (!query.prepare(sql))
        throw StorageError(m_path.toStdString() + ": cannot prepare '" + sql.simplified().left(60).toStdString()
                           + "': " + query.lastError().text().toStdString());
    return query;
}

void RunStore::run(QSqlQuery& query, const char* operation) const
{
    if (!query.exec())
        throw StorageError(m_path.toStdString() + ": " + operation
                           + " failed: " + query.lastError().text().toStdString());
}

void RunStore::exec(const QString& sql) const
{
    QSqlQuery query(database());
    if (!query.exec(sql))
        throw StorageError(m_path.toStdString() + ": '" + sql.simplified().left(60).toStdString()
                           + "' failed: " + query.lastError().text().toStdString());
}

int RunStore::schemaVersion() const
{
    QSqlQuery query(database());
    if (!query.exec("PRAGMA user_version") || !query.next())
        throw StorageError(m_path.toStdString() + ": cannot read the schema version (damaged file?): "
                           + query.lastError().text().toStdString());
    return query.value(0).toInt();
}

void RunStore::migrate(int fromVersion)
{
    for (int version = fromVersion + 1; version <= kSchemaVersion; ++version)
        migrateTo(version);
}

void RunStore::migrateTo(int version)
{
    QSqlDatabase db = database();
    SqlTransaction transaction(db, m_path);
    // Another connection (the UI and the worker opening a new file together, or a second
    // prunescope-cli) may have migrated while we waited for the write lock: the version read
    // before BEGIN IMMEDIATE is stale, so read it again under the lock.
    const int current = schemaVersion();
    if (current > kSchemaVersion)
        throw StorageError(m_path.toStdString() + ": was written by a newer PruneScope (schema "
                           + std::to_string(current) + ", this program understands up to "
                           + std::to_string(kSchemaVersion) + "); it was left unchanged");
    if (current >= version)
        return;  // the guard rolls back the empty transaction
    if (version == 1) {
        for (const char* sql : kSchemaV1)
            exec(sql);
    } else if (version == 2) {
        for (const char* sql : kSchemaV2)
            exec(sql);
    } else if (version == 3) {
        for (const char* sql : kSchemaV3)
            exec(sql);
    } else if (version == 4) {
        for (const char* sql : kSchemaV4)
            exec(sql);
    } else if (version == 5) {
        for (const char* sql : kSchemaV5)
            exec(sql);
    } else if (version == 6) {
        for (const char* sql : kSchemaV6)
            exec(sql);
    } else if (version == 7) {
        for (const char* sql : kSchemaV7)
            exec(sql);
    } else {
        throw StorageError(m_path.toStdString() + ": no migration to schema " + std::to_string(version));
    }
    exec(QStringLiteral("PRAGMA user_version=%1").arg(version));
    transaction.commit();
}

std::string RunStore::integrityCheck() const
{
    QSqlQuery query(database());
    if (!query.exec("PRAGMA integrity_check"))
        return query.lastError().text().toStdString();
    QStringList lines;
    while (query.next())
        lines << query.value(0).toString();
    return lines.join('\n').toStdString();
}

}  // namespace prunescope
