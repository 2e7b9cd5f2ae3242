#pragma once
// The SQLite run store: one database file per workspace, opened through Qt SQL (QSQLITE).
// One RunStore = one named QSqlDatabase connection, and Qt SQL connections belong to the thread
// that created them: create, use and destroy a RunStore on one thread, and give each thread its
// own (the worker writes the run it executes, the UI reads; WAL lets them overlap). Several
// RunStores, threads or processes may open the same file at once.
// Large artifacts live beside the database as files; the database keeps their paths.

#include "core/ExperimentConfig.h"
#include "core/RunEvents.h"

#include <QString>

class QSqlDatabase;
class QSqlQuery;

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace prunescope {

// Every storage failure, with a message naming the database file and what went wrong.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct StoredRun {
    int64_t id = 0;
    std::string name;
    ExperimentConfig config;
    std::string configJson;
    RunStatus status = RunStatus::Running;
    std::string startedAt;  // ISO 8601, UTC
    std::string finishedAt;  // empty while running
    std::string errorMessage;
    std::string versions;
    std::string host;
    int64_t pid = 0;
    RunSummary summary;  // meaningful when status == Finished
    std::string tags;  // comma-separated
    std::string notes;
    int64_t sweepId = 0;  // 0 = not part of a sweep
    std::string deletedAt;  // ISO 8601, UTC, when it went to the trash; empty: not in the trash
};

// How a RunStore opens its file. ReadOnly is for commands that only look (list, show, export):
// they never write, so they cannot damage a file or race a writer, and a run left "running" by a
// dead process is shown as interrupted without being marked. A file that does not exist yet, or
// has an older schema, is created or migrated first (it is ours either way).
enum class StoreAccess { ReadWrite, ReadOnly };

class RunStore {
public:
    static constexpr int kSchemaVersion = 7;
    // PRAGMA application_id of every PruneScope database ("PRSC"): marks the file as ours, so a
    // SQLite file of another application is never migrated or modified.
    static constexpr int32_t kApplicationId = 0x50525343;

    // Opens (creating if needed) and migrates the database. Throws StorageError when the file
    // cannot be opened, is not a database, is another application's SQLite file (left
    // byte-for-byte unchanged), or was written by a newer PruneScope.
    explicit RunStore(const QString& databasePath, StoreAccess access = StoreAccess::ReadWrite);
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    // $PRUNESCOPE_DB when set, else ~/.local/share/PruneScope/runs.sqlite
    // (QStandardPaths::GenericDataLocation, so it does not depend on the application name).
    static QString defaultPath();
    QString path() const;
    int schemaVersion() const;

    // Writing a run as it executes.
    int64_t beginRun(const ExperimentConfig& config, const std::string& versions, int64_t sweepId = 0);
    // A sweep groups runs (one base config over sparsities, methods and seeds).
    int64_t createSweep(const std::string& name, const std::string& specJson);
    std::vector<StoredRun> runsOfSweep(int64_t sweepId) const;
    void recordEpoch(int64_t runId, const EpochMetrics& metrics);
    void recordPruningStep(int64_t runId, const PruningStep& step);
    void finishRun(int64_t runId, const RunSummary& summary);
    // status is Failed or Cancelled.
    void endRun(int64_t runId, RunStatus status, const std::string& message);

    // Runs left "running" by a process that no longer exists become "interrupted".
    // Returns how many were marked. Called on open (ReadWrite); callable again.
    int markInterruptedRuns();
    bool isReadOnly() const { return m_access == StoreAccess::ReadOnly; }

    // What SQLite's quick check found wrong with the file when it was opened ("" when nothing).
    // A damaged file opens ReadOnly only (ReadWrite throws StorageError naming `recover`), and
    // listRuns then reads run by run, leaving out the runs it cannot read.
    const std::string& damage() const { return m_damage; }
    // How many ids beyond those a damaged scan still returns the salvage tries in sequence.
    static constexpr int64_t kSalvageRangeLimit = 100000;
    // Every run id that may exist (for salvage: each is then read on its own).
    std::vector<int64_t> runIdsForSalvage() const;

    // Reading.
    std::vector<StoredRun> listRuns() const;  // newest first, without the runs in the trash
    // Finds a run in the trash too (its deletedAt says so).
    std::optional<StoredRun> findRun(int64_t runId) const;
    std::vector<EpochMetrics> epochs(int64_t runId) const;
    std::vector<PruningStep> pruningSteps(int64_t runId, bool withMasks = true) const;

    // Editing.
    void setTags(int64_t runId, const std::string& tags);
    void setNotes(int64_t runId, const std::string& notes);
    // Replaces a run's latency figures (measured again, e.g. on a quiet machine).
    void replaceLatency(int64_t runId, const std::vector<LatencyMeasurement>& latency);
    void deleteRun(int64_t runId);  // for good: the run, all its rows, and its files

    // The trash (RunStoreTrash.cpp). A deleted run is only marked: it leaves listRuns and the
    // sweeps' lists, and comes back with restoreRun until the trash is emptied.
    // Throws StorageError for an unknown run, and for a run still running (its worker writes it).
    void trashRun(int64_t runId);
    // Throws StorageError when the run is not in the trash.
    void restoreRun(int64_t runId);
    std::vector<StoredRun> trashedRuns() const;  // most recently deleted first
    // Deletes every run in the trash for good (rows and files); returns how many.
    int emptyTrash();

    // Where a run's files live: <database>.files/run-<id>/<file>, beside the database.
    QString artifactPath(int64_t runId, const QString& file) const;

    // "ok" when SQLite's PRAGMA integrity_check finds nothing.
    std::string integrityCheck() const;

private:
    void openConnection(bool readOnly);
    // PRAGMA quick_check, once per process for each state (size and time) of the file.
    std::string quickCheck() const;
    std::vector<StoredRun> salvageRuns() const;
    // Throws StorageError unless the open file is a PruneScope database (marked, or an older
    // unmarked one with its tables) or an empty one; reads only.
    void refuseForeignDatabase(int version) const;
    int32_t applicationId() const;
    std::vector<int64_t> interruptedRunIds() const;
    void migrateTo(int version);  // one step of the chain, in its own transaction
    void migrate(int fromVersion);
    void enableWal();
    void closeConnection();
    QSqlDatabase database() const;
    QSqlQuery prepare(const QString& sql) const;
    void run(QSqlQuery& query, const char* operation) const;
    void exec(const QString& sql) const;
    StoredRun runFromQuery(const QSqlQuery& query) const;
    // Fills each run's summary.latency (one query for all of them).
    void attachLatency(std::vector<StoredRun>& runs) const;
    void removeArtifacts(int64_t runId) const;  // the run's folder of files beside the database
    void insertLatency(int64_t runId, const std::vector<LatencyMeasurement>& latency);  // inside a transaction

    QString m_connectionName;
    QString m_path;
    StoreAccess m_access = StoreAccess::ReadWrite;
    std::string m_damage;
    // ReadOnly: the runs markInterruptedRuns would mark, shown as interrupted when read.
    std::set<int64_t> m_interruptedIds;
};

}  // namespace prunescope
