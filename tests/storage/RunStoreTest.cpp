#include "RunStore.h"
#include "RunStoreRecovery.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <random>
#include <thread>

using namespace prunescope;

namespace {

// RunSummary and EpochMetrics have no operator== (pruning/ owns them); compare every field so a
// column that is written but not read back, or swapped with its neighbour, is caught.
void expectSameSummary(const RunSummary& a, const RunSummary& b)
{
    EXPECT_EQ(a.denseTestAccuracy, b.denseTestAccuracy);
    EXPECT_EQ(a.denseTestLoss, b.denseTestLoss);
    EXPECT_EQ(a.prunedTestAccuracy, b.prunedTestAccuracy);
    EXPECT_EQ(a.testAccuracy, b.testAccuracy);
    EXPECT_EQ(a.testLoss, b.testLoss);
    EXPECT_EQ(a.parameters, b.parameters);
    EXPECT_EQ(a.nonzeros, b.nonzeros);
    EXPECT_EQ(a.prunableParameters, b.prunableParameters);
    EXPECT_EQ(a.prunableNonzeros, b.prunableNonzeros);
    EXPECT_EQ(a.sparsity, b.sparsity);
    EXPECT_EQ(a.compressionRatio, b.compressionRatio);
    EXPECT_EQ(a.denseMacs, b.denseMacs);
    EXPECT_EQ(a.effectiveMacs, b.effectiveMacs);
    EXPECT_EQ(a.theoreticalSpeedup, b.theoreticalSpeedup);
    EXPECT_EQ(a.denseBytes, b.denseBytes);
    EXPECT_EQ(a.sparseBytes, b.sparseBytes);
    EXPECT_EQ(a.durationSeconds, b.durationSeconds);
    EXPECT_EQ(a.denseFromCache, b.denseFromCache);
}

void expectSameEpoch(const EpochMetrics& a, const EpochMetrics& b)
{
    EXPECT_EQ(a.phase, b.phase);
    EXPECT_EQ(a.epoch, b.epoch);
    EXPECT_EQ(a.learningRate, b.learningRate);
    EXPECT_EQ(a.trainLoss, b.trainLoss);
    EXPECT_EQ(a.trainAccuracy, b.trainAccuracy);
    EXPECT_EQ(a.validationLoss, b.validationLoss);
    EXPECT_EQ(a.validationAccuracy, b.validationAccuracy);
    EXPECT_EQ(a.extra, b.extra);
    EXPECT_EQ(a.segment, b.segment);
}

class RunStoreTest : public ::testing::Test {
protected:
    QString dbPath() const { return m_dir.filePath("runs.sqlite"); }

    static ExperimentConfig someConfig()
    {
        ExperimentConfig config = defaultExperiment();
        config.name = "it's a \"test\" — ünïcode";
        config.model = "lenet5caffe";
        config.method = "layerwise_magnitude";
        config.methodParams = {{"sparsity", 0.75}, {"include_classifier", true}};
        config.seed = 7;
        config.fineTuning.epochs = 2;
        return config;
    }

    static PruningStep someStep()
    {
        PruningStep step;
        step.step = 1;
        step.layers = {{"conv1", "conv", {3, 1, 5, 5}, 75, 20, 1000, 266.7, true},
                       {"fc", "linear", {13, 1}, 13, 13, 13, 13, false}};
        step.metrics = {{"test_accuracy", 0.875}, {"control_test_accuracy", 0.5}};
        MaskSnapshot odd{"fc", {13}, {0b10110101, 0b00011}};
        MaskSnapshot conv{"conv1", {3, 1, 5, 5}, std::vector<uint8_t>(10, 0)};
        for (size_t i = 0; i < conv.bits.size(); ++i)
            conv.bits[i] = uint8_t(i * 37 + 11);
        conv.bits.back() &= 0x07;  // 75 bits: the last byte holds 3
        step.masks = {conv, odd};
        return step;
    }

    // Runs SQL on the file directly, as an older program or another tool would.
    void rawSql(const QStringList& statements)
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "raw");
            db.setDatabaseName(dbPath());
            ASSERT_TRUE(db.open());
            QSqlQuery query(db);
            for (const QString& sql : statements)
                ASSERT_TRUE(query.exec(sql)) << sql.toStdString();
        }
        QSqlDatabase::removeDatabase("raw");
    }

    // Counts rows on a separate connection, so nothing RunStore caches can hide a leftover row.
    int64_t countRows(const QString& sql)
    {
        int64_t count = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "count");
            db.setDatabaseName(dbPath());
            EXPECT_TRUE(db.open());
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                count = query.value(0).toLongLong();
        }
        QSqlDatabase::removeDatabase("count");
        return count;
    }

    // The connection a RunStore opened on this thread for our file: lets a test impose limits
    // on that very connection (max_page_count is per connection).
    QSqlDatabase storeConnection() const
    {
        for (const QString& name : QSqlDatabase::connectionNames()) {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            if (db.databaseName() == dbPath())
                return db;
        }
        return {};
    }

    QByteArray fileHash() const
    {
        QFile file(dbPath());
        file.open(QIODevice::ReadOnly);
        return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    }

    QTemporaryDir m_dir;
};

}  // namespace

TEST_F(RunStoreTest, RoundTripsARunWithEpochsLayersAndMasks)
{
    const ExperimentConfig config = someConfig();
    // Every field distinct, so two swapped columns cannot pass.
    RunSummary summary;
    summary.denseTestAccuracy = 0.91;
    summary.denseTestLoss = 0.25;
    summary.prunedTestAccuracy = 0.5;
    summary.testAccuracy = 0.9012345678901234;
    summary.testLoss = 0.3125;
    summary.parameters = 431080;
    summary.nonzeros = 100000;
    summary.prunableParameters = 430500;
    summary.prunableNonzeros = 99420;
    summary.sparsity = 0.769059233449477;
    summary.compressionRatio = 4.3108;
    summary.denseMacs = 2293000;
    summary.effectiveMacs = 12345.5;
    summary.theoreticalSpeedup = 185.73;
    summary.denseBytes = 1724320;
    summary.sparseBytes = 424242;
    summary.durationSeconds = 61.75;
    summary.denseFromCache = true;
    std::vector<EpochMetrics> recorded;
    for (int e = 1; e <= 3; ++e)
        recorded.push_back({"dense", e, 0.1 / e, 1.0 / e, 0.5 + e * 0.1, 1.5 / e, 0.4 + e * 0.1});
    recorded.push_back({"finetune", 1, 0.01, 0.3, 0.88, 0.35, 0.87});
    // A method's own curves (Early-Bird's mask distance, GMP's sparsity) come back by name.
    // A phase restarting from θ0 opens a new training curve (segment), and the store keeps it.
    recorded.push_back(
        {"sparse", 1, 0.05, 0.4, 0.8, 0.45, 0.79, {{"mask_distance", 0.125}, {"sparsity", 0.5}}, /*segment=*/1});
    int64_t first = 0, second = 0;
    {
        RunStore store(dbPath());
        EXPECT_EQ(store.schemaVersion(), RunStore::kSchemaVersion);
        first = store.beginRun(config, "prunescope test");
        for (const EpochMetrics& m : recorded)
            store.recordEpoch(first, m);
        store.recordPruningStep(first, someStep());
        store.finishRun(first, summary);
        second = store.beginRun(defaultExperiment(), "v");
    }
    RunStore store(dbPath());  // a new connection reads what the first wrote
    const auto run = store.findRun(first);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->config, config);
    EXPECT_EQ(run->name, config.name);
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_EQ(run->versions, "prunescope test");
    EXPECT_FALSE(run->finishedAt.empty());
    expectSameSummary(run->summary, summary);
    // The runs browser sorts and filters on these columns in SQL, not in the JSON.
    EXPECT_EQ(countRows(QStringLiteral("SELECT count(*) FROM runs WHERE id=%1 AND sparsity > 0.76 AND "
                                       "dense_from_cache=1 AND seed=7 AND method='layerwise_magnitude'")
                            .arg(first)),
              1);

    const auto epochs = store.epochs(first);
    ASSERT_EQ(epochs.size(), recorded.size());
    for (size_t i = 0; i < recorded.size(); ++i)
        expectSameEpoch(epochs[i], recorded[i]);

    const auto steps = store.pruningSteps(first);
    ASSERT_EQ(steps.size(), 1u);
    const PruningStep expected = someStep();
    ASSERT_EQ(steps[0].layers.size(), 2u);
    EXPECT_EQ(steps[0].layers[0].shape, expected.layers[0].shape);
    EXPECT_EQ(steps[0].layers[0].nonzeros, 20);
    EXPECT_FALSE(steps[0].layers[1].pruned);
    ASSERT_EQ(steps[0].masks.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(steps[0].masks[i].layer, expected.masks[i].layer);
        EXPECT_EQ(steps[0].masks[i].shape, expected.masks[i].shape);
        EXPECT_EQ(steps[0].masks[i].bits, expected.masks[i].bits);
    }
    EXPECT_EQ(steps[0].metrics, expected.metrics);
    EXPECT_TRUE(store.pruningSteps(first, false)[0].masks.empty());

    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].id, second);  // newest first
    EXPECT_EQ(runs[0].status, RunStatus::Running);  // begun by this live process
    EXPECT_FALSE(store.findRun(999));
}

TEST_F(RunStoreTest, MigratesASchemaVersionOneDatabaseKeepingItsRuns)
{
    // The v1 schema exactly as the first release wrote it, with one finished run.
    rawSql({"CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL DEFAULT '', model TEXT NOT "
            "NULL, method TEXT NOT NULL, seed INTEGER NOT NULL, config_json TEXT NOT NULL, status TEXT NOT NULL, "
            "started_at TEXT NOT NULL, finished_at TEXT, error_message TEXT NOT NULL DEFAULT '', versions TEXT NOT "
            "NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL DEFAULT 0, dense_test_accuracy "
            "REAL, dense_test_loss REAL, pruned_test_accuracy REAL, test_accuracy REAL, test_loss REAL, parameters "
            "INTEGER, nonzeros INTEGER, prunable_parameters INTEGER, prunable_nonzeros INTEGER, sparsity REAL, "
            "compression_ratio REAL, dense_macs REAL, effective_macs REAL, theoretical_speedup REAL, dense_bytes "
            "INTEGER, sparse_bytes INTEGER, duration_seconds REAL, dense_from_cache INTEGER)",
            "CREATE TABLE metrics (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, phase TEXT NOT "
            "NULL, epoch INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL)",
            "CREATE INDEX metrics_run ON metrics(run_id)",
            "INSERT INTO runs (name, model, method, seed, config_json, status, started_at, finished_at, "
            "test_accuracy) VALUES ('old', 'lenet5', 'random', 3, '{\"model\": \"lenet5\", \"method\": \"random\", "
            "\"seed\": 3}', 'finished', '2026-01-01T00:00:00Z', '2026-01-01T00:10:00Z', 0.8)",
            "INSERT INTO metrics VALUES (1, 'dense', 1, 'train_loss', 0.7)", "PRAGMA user_version=1"});

    RunStore store(dbPath());
    EXPECT_EQ(store.schemaVersion(), RunStore::kSchemaVersion);
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].name, "old");
    EXPECT_EQ(runs[0].config.method, "random");
    EXPECT_EQ(runs[0].config.seed, 3u);
    EXPECT_EQ(runs[0].status, RunStatus::Finished);
    EXPECT_DOUBLE_EQ(runs[0].summary.testAccuracy, 0.8);
    ASSERT_EQ(store.epochs(runs[0].id).size(), 1u);
    EXPECT_DOUBLE_EQ(store.epochs(runs[0].id)[0].trainLoss, 0.7);
    EXPECT_EQ(runs[0].tags, "");
    store.setTags(runs[0].id, "week 1, baseline");
    EXPECT_EQ(runs[0].notes, "");
    store.setNotes(runs[0].id, "from the first release");
    store.recordPruningStep(runs[0].id, someStep());  // the v2 tables exist
    EXPECT_EQ(store.findRun(runs[0].id)->tags, "week 1, baseline");
    EXPECT_EQ(store.findRun(runs[0].id)->notes, "from the first release");
    EXPECT_EQ(store.integrityCheck(), "ok");
}

TEST_F(RunStoreTest, RefusesADatabaseFromANewerProgramAndLeavesItUnchanged)
{
    {
        RunStore store(dbPath());
    }
    rawSql({"PRAGMA user_version=99"});
    const QByteArray before = fileHash();
    try {
        RunStore store(dbPath());
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("runs.sqlite"), std::string::npos) << e.what();
    }
    EXPECT_EQ(fileHash(), before);
}

TEST_F(RunStoreTest, RefusesAFileThatIsNotADatabaseAndLeavesItUnchanged)
{
    {
        QFile file(dbPath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("my thesis notes, definitely not SQLite\n");
    }
    const QByteArray before = fileHash();
    try {
        RunStore store(dbPath());
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("runs.sqlite"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not an SQLite file"), std::string::npos) << e.what();
    }
    EXPECT_EQ(fileHash(), before);
}

// `list` on another application's SQLite file once added 8 tables, set user_version and switched
// it to WAL. Now it is refused, byte for byte unchanged, and no -wal file appears.
TEST_F(RunStoreTest, AnotherApplicationsSqliteFileIsRefusedAndLeftByteForByte)
{
    rawSql({"CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)", "INSERT INTO notes (text) VALUES ('mine')"});
    const QByteArray before = fileHash();
    for (const StoreAccess access : {StoreAccess::ReadWrite, StoreAccess::ReadOnly}) {
        try {
            RunStore store(dbPath(), access);
            FAIL() << "expected StorageError";
        } catch (const StorageError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("runs.sqlite: is not a PruneScope database (it holds the tables notes)"),
                      std::string::npos)
                << message;
            EXPECT_NE(message.find("left unchanged"), std::string::npos) << message;
        }
        EXPECT_EQ(fileHash(), before);
        EXPECT_FALSE(QFile::exists(dbPath() + "-wal"));
    }
    // Another application that marks its files is recognised by its id alone, tables or not.
    QFile::remove(dbPath());
    rawSql({"PRAGMA application_id=1234"});
    const QByteArray marked = fileHash();
    try {
        RunStore store(dbPath());
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("application id 1234"), std::string::npos) << e.what();
    }
    EXPECT_EQ(fileHash(), marked);
}

TEST_F(RunStoreTest, OurDatabasesCarryTheMarkerAndOlderUnmarkedOnesAreStillOurs)
{
    {
        RunStore store(dbPath());
        store.beginRun(defaultExperiment(), "v");
    }
    EXPECT_EQ(countRows("PRAGMA application_id"), RunStore::kApplicationId);
    // A database written before the marker existed: our tables, a schema version, no id.
    rawSql({"PRAGMA application_id=0"});
    {
        RunStore store(dbPath(), StoreAccess::ReadOnly);  // reopened read-write once to mark it
        EXPECT_EQ(store.listRuns().size(), 1u);
    }
    EXPECT_EQ(countRows("PRAGMA application_id"), RunStore::kApplicationId);
    // An empty SQLite file (zero tables, version 0) is fine to create the schema in.
    QFile::remove(dbPath());
    rawSql({"PRAGMA user_version=0"});
    RunStore fresh(dbPath());
    EXPECT_EQ(fresh.schemaVersion(), RunStore::kSchemaVersion);
}

// list/show/export open read-only: they never write, so a run left "running" by a dead process is
// shown as interrupted without being marked, and writes through that store are refused.
TEST_F(RunStoreTest, AReadOnlyStoreShowsInterruptedRunsWithoutWritingAnything)
{
    QProcess process;
    process.start("/bin/true");
    ASSERT_TRUE(process.waitForFinished());
    const qint64 deadPid = process.processId() ? process.processId() : 999999;
    int64_t dead = 0;
    {
        RunStore store(dbPath());
        dead = store.beginRun(defaultExperiment(), "v");
    }
    rawSql({QStringLiteral("UPDATE runs SET pid=%1 WHERE id=%2").arg(deadPid).arg(dead)});
    const QByteArray before = fileHash();
    {
        RunStore store(dbPath(), StoreAccess::ReadOnly);
        EXPECT_TRUE(store.isReadOnly());
        ASSERT_EQ(store.listRuns().size(), 1u);
        EXPECT_EQ(store.listRuns()[0].status, RunStatus::Interrupted);
        EXPECT_NE(store.findRun(dead)->errorMessage.find("ended unexpectedly"), std::string::npos);
        EXPECT_THROW(store.setNotes(dead, "x"), StorageError);
        EXPECT_THROW(store.markInterruptedRuns(), StorageError);
    }
    EXPECT_EQ(fileHash(), before);
    EXPECT_EQ(countRows(QStringLiteral("SELECT COUNT(*) FROM runs WHERE status='running'")), 1);
}

// Garbage over one page of the runs table once made every command fail, `list` included; 4 KiB
// of garbage elsewhere was not noticed at all. Now the damage is found on open, the readable runs
// are listed, writing is refused, and `recover` copies every readable run into a new database.
TEST_F(RunStoreTest, GarbageOverAPageOfTheRunsTableIsFoundAndTheReadableRunsRecovered)
{
    constexpr int kRuns = 40;
    {
        RunStore store(dbPath());
        for (int i = 1; i <= kRuns; ++i) {
            ExperimentConfig config = someConfig();
            config.name = "salvage-run-" + std::to_string(1000 + i);
            const int64_t id = store.beginRun(config, "v");
            store.recordEpoch(id, {"dense", 1, 0.1, 1.0 / i, 0.5, 1, 0.5});
            store.recordPruningStep(id, someStep());
            store.setNotes(id, "notes of " + std::to_string(i));
            RunSummary summary;
            summary.testAccuracy = 0.5 + i / 1000.0;
            store.finishRun(id, summary);
        }
    }
    ASSERT_FALSE(QFile::exists(dbPath() + "-wal")) << "the last close checkpoints the log";
    // Overwrite the page that holds run 20's row (its name is on it) with garbage.
    QByteArray bytes;
    {
        QFile file(dbPath());
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        bytes = file.readAll();
    }
    const int pageSize = (uint8_t(bytes.at(16)) << 8) | uint8_t(bytes.at(17));
    const qsizetype hit = bytes.indexOf("salvage-run-1020");
    ASSERT_GT(hit, 0);
    const qsizetype pageStart = hit / pageSize * pageSize;
    ASSERT_GT(pageStart, 0) << "not the file's first page";
    std::mt19937 random(7);
    for (qsizetype i = pageStart; i < pageStart + pageSize; ++i)
        bytes[i] = char(random() & 0xff);
    {
        QFile file(dbPath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    const QByteArray damagedHash = fileHash();

    // Writing is refused with the way out.
    try {
        RunStore store(dbPath());
        FAIL() << "a damaged database was opened for writing";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("prunescope-cli recover"), std::string::npos) << e.what();
    }
    // Reading shows the runs that can be read, instead of failing.
    size_t listed = 0;
    {
        RunStore store(dbPath(), StoreAccess::ReadOnly);
        EXPECT_FALSE(store.damage().empty());
        const auto runs = store.listRuns();
        listed = runs.size();
        EXPECT_GE(listed, size_t(kRuns / 2));
        EXPECT_LT(listed, size_t(kRuns)) << "run 20's page is garbage";
        EXPECT_EQ(runs.front().id, kRuns) << "newest first";
    }
    EXPECT_EQ(fileHash(), damagedHash);

    const QString recoveredPath = m_dir.filePath("recovered.sqlite");
    const RecoveryReport report = recoverRuns(dbPath(), recoveredPath);
    EXPECT_EQ(fileHash(), damagedHash) << "the damaged file is only read";
    EXPECT_FALSE(report.complete());
    EXPECT_EQ(report.recoveredRuns.size(), listed);
    EXPECT_NE(std::find(report.losses.begin(), report.losses.end(), "run 20: unreadable"), report.losses.end());
    RunStore recovered(recoveredPath);
    EXPECT_EQ(recovered.integrityCheck(), "ok");
    EXPECT_TRUE(recovered.damage().empty());
    EXPECT_EQ(recovered.listRuns().size(), listed);
    for (const int64_t id : report.recoveredRuns) {
        const auto run = recovered.findRun(id);
        ASSERT_TRUE(run) << id;
        EXPECT_EQ(run->name, "salvage-run-" + std::to_string(1000 + id));
        EXPECT_EQ(run->notes, "notes of " + std::to_string(id));
        EXPECT_EQ(run->status, RunStatus::Finished);
        EXPECT_DOUBLE_EQ(run->summary.testAccuracy, 0.5 + double(id) / 1000.0);
        EXPECT_EQ(recovered.epochs(id).size(), 1u);
        const auto steps = recovered.pruningSteps(id);
        ASSERT_EQ(steps.size(), 1u);
        ASSERT_EQ(steps[0].masks.size(), 2u);
        for (const MaskSnapshot& mask : steps[0].masks)
            EXPECT_EQ(mask.bits, mask.layer == "conv1" ? someStep().masks[0].bits : someStep().masks[1].bits);
    }
    // The new database takes new runs after the largest recovered id.
    EXPECT_GT(recovered.beginRun(defaultExperiment(), "v"), kRuns);
    // recover never writes over an existing file.
    EXPECT_THROW(recoverRuns(dbPath(), recoveredPath), StorageError);
}

TEST_F(RunStoreTest, ARunOfADeadProcessBecomesInterrupted)
{
    // A pid that certainly belonged to a process that has ended.
    QProcess process;
    process.start("/bin/true");
    ASSERT_TRUE(process.waitForFinished());
    const qint64 deadPid = process.processId() ? process.processId() : 999999;
    int64_t dead = 0, live = 0;
    {
        RunStore store(dbPath());
        dead = store.beginRun(defaultExperiment(), "v");
        store.recordEpoch(dead, {"dense", 1, 0.1, 1, 0.5, 1, 0.5});
        live = store.beginRun(defaultExperiment(), "v");
    }
    rawSql({QStringLiteral("UPDATE runs SET pid=%1 WHERE id=%2").arg(deadPid).arg(dead)});
    RunStore store(dbPath());
    EXPECT_EQ(store.findRun(dead)->status, RunStatus::Interrupted);
    EXPECT_NE(store.findRun(dead)->errorMessage.find("ended unexpectedly"), std::string::npos);
    EXPECT_EQ(store.epochs(dead).size(), 1u);  // what it recorded stays
    EXPECT_EQ(store.findRun(live)->status, RunStatus::Running);  // ours, still alive
    EXPECT_EQ(store.markInterruptedRuns(), 0);
    EXPECT_EQ(store.integrityCheck(), "ok");
}

TEST_F(RunStoreTest, ARunWithOurPidButNotOursIsInterrupted)
{
    {
        RunStore store(dbPath());
        store.beginRun(defaultExperiment(), "v");
    }
    // A row written by an earlier process that had our pid (containers reuse small pids).
    rawSql({QStringLiteral("INSERT INTO runs (model, method, seed, config_json, status, started_at, host, pid) "
                           "SELECT model, method, seed, config_json, 'running', started_at, host, pid FROM runs")});
    RunStore store(dbPath());
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].status, RunStatus::Interrupted);
    EXPECT_EQ(runs[1].status, RunStatus::Running);
}

TEST_F(RunStoreTest, EndRunTagsNotesAndDeleteCascade)
{
    RunStore store(dbPath());
    const int64_t cancelled = store.beginRun(defaultExperiment(), "v");
    store.endRun(cancelled, RunStatus::Cancelled, "cancelled by the user");
    const int64_t failed = store.beginRun(defaultExperiment(), "v");
    store.endRun(failed, RunStatus::Failed, "data.gz: file ends early");
    EXPECT_EQ(store.findRun(cancelled)->status, RunStatus::Cancelled);
    EXPECT_EQ(store.findRun(failed)->errorMessage, "data.gz: file ends early");
    EXPECT_THROW(store.endRun(failed, RunStatus::Finished, ""), std::invalid_argument);

    store.setNotes(failed, "it's \"quoted\"; DROP TABLE runs; — 한국어");
    EXPECT_EQ(store.findRun(failed)->notes, "it's \"quoted\"; DROP TABLE runs; — 한국어");
    store.setTags(failed, "o'brien, \"α=0.5\", 日本");
    EXPECT_EQ(store.findRun(failed)->tags, "o'brien, \"α=0.5\", 日本");

    store.recordEpoch(failed, {"dense", 1, 0.1, 1, 0.5, 1, 0.5});
    store.recordPruningStep(failed, someStep());
    store.recordEpoch(cancelled, {"dense", 1, 0.1, 1, 0.5, 1, 0.5});
    store.recordPruningStep(cancelled, someStep());
    const QString childRows = QStringLiteral("SELECT (SELECT count(*) FROM metrics WHERE run_id=%1) + "
                                             "(SELECT count(*) FROM layers WHERE run_id=%1) + "
                                             "(SELECT count(*) FROM masks WHERE run_id=%1) + "
                                             "(SELECT count(*) FROM step_metrics WHERE run_id=%1)");
    ASSERT_EQ(countRows(childRows.arg(failed)), 5 + 2 + 2 + 2);
    store.deleteRun(failed);
    EXPECT_EQ(countRows(childRows.arg(failed)), 0);  // the cascade reached every child table
    EXPECT_EQ(countRows(childRows.arg(cancelled)), 5 + 2 + 2 + 2);  // and only this run's rows
    EXPECT_FALSE(store.findRun(failed));
    EXPECT_TRUE(store.epochs(failed).empty());
    EXPECT_TRUE(store.pruningSteps(failed).empty());
    EXPECT_EQ(store.listRuns().size(), 1u);
}

TEST_F(RunStoreTest, SweepsGroupTheirRuns)
{
    RunStore store(dbPath());
    const int64_t sweep = store.createSweep("week 1", "{\"sparsities\": [0.5, 0.9]}");
    const int64_t a = store.beginRun(defaultExperiment(), "v", sweep);
    store.beginRun(defaultExperiment(), "v");
    const int64_t b = store.beginRun(defaultExperiment(), "v", sweep);
    const auto runs = store.runsOfSweep(sweep);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].id, a);
    EXPECT_EQ(runs[1].id, b);
    EXPECT_EQ(runs[1].sweepId, sweep);
    EXPECT_TRUE(store.runsOfSweep(sweep + 1).empty());
}

TEST_F(RunStoreTest, AWriterAndAReaderOnTwoThreadsDoNotBlockEachOther)
{
    int64_t runId = 0;
    {
        RunStore store(dbPath());
        runId = store.beginRun(defaultExperiment(), "v");
    }
    std::string writerError;
    std::thread writer([&] {
        try {
            RunStore store(dbPath());
            for (int e = 1; e <= 100; ++e)
                store.recordEpoch(runId, {"dense", e, 0.1, 1.0 / e, 0.5, 1, 0.5});
        } catch (const std::exception& e) {
            writerError = e.what();
        }
    });
    RunStore reader(dbPath());
    size_t lastSeen = 0;
    for (int i = 0; i < 100; ++i) {
        const size_t seen = reader.epochs(runId).size();
        EXPECT_GE(seen, lastSeen);  // the reader sees a growing, consistent prefix
        lastSeen = seen;
        EXPECT_EQ(reader.listRuns().size(), 1u);
    }
    writer.join();
    EXPECT_EQ(writerError, "");
    EXPECT_EQ(reader.epochs(runId).size(), 100u);
}

TEST_F(RunStoreTest, TwoConnectionsOpeningANewFileTogetherBothSucceed)
{
    // The UI and the worker (or two prunescope-cli) opening a fresh workspace at the same
    // moment: both see schema 0, only one may run each migration. Several files make the
    // overlap likely; the outcome must be the same whichever thread wins.
    for (int i = 0; i < 10; ++i) {
        const QString path = m_dir.filePath(QStringLiteral("fresh-%1.sqlite").arg(i));
        std::barrier start(2);
        std::string errors[2];
        auto open = [&](int k) {
            start.arrive_and_wait();
            try {
                RunStore store(path);
                store.beginRun(defaultExperiment(), "v");
            } catch (const std::exception& e) {
                errors[k] = e.what();
            }
        };
        std::thread a(open, 0), b(open, 1);
        a.join();
        b.join();
        EXPECT_EQ(errors[0], "");
        EXPECT_EQ(errors[1], "");
        RunStore store(path);
        EXPECT_EQ(store.schemaVersion(), RunStore::kSchemaVersion);
        EXPECT_EQ(store.listRuns().size(), 2u);
    }
}

TEST_F(RunStoreTest, AFullDiskIsAStorageErrorAndLosesNothingAlreadyStored)
{
    RunStore store(dbPath());
    const int64_t runId = store.beginRun(defaultExperiment(), "v");
    store.recordEpoch(runId, {"dense", 1, 0.1, 1, 0.5, 1, 0.5});

    // Capping the file at its current size makes SQLite answer SQLITE_FULL exactly as a full
    // disk would, through the real write path.
    QSqlDatabase db = storeConnection();
    ASSERT_TRUE(db.isOpen());
    QSqlQuery query(db);
    ASSERT_TRUE(query.exec("PRAGMA page_count") && query.next());
    const qint64 pages = query.value(0).toLongLong();
    ASSERT_TRUE(query.exec(QStringLiteral("PRAGMA max_page_count=%1").arg(pages)));

    // Random bits do not compress, so the mask needs pages the file may not grow to.
    PruningStep big = someStep();
    MaskSnapshot noise{"noise", {1024, 1024}, std::vector<uint8_t>(1024 * 1024 / 8)};
    std::mt19937 random(3);
    for (auto& byte : noise.bits)
        byte = uint8_t(random());
    big.masks.push_back(noise);
    try {
        store.recordPruningStep(runId, big);
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("full"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("runs.sqlite"), std::string::npos) << e.what();
    }
    // The step is all or nothing, and the store stays usable.
    EXPECT_TRUE(store.pruningSteps(runId).empty());
    EXPECT_EQ(store.epochs(runId).size(), 1u);
    EXPECT_EQ(store.integrityCheck(), "ok");

    ASSERT_TRUE(query.exec("PRAGMA max_page_count=1073741823"));  // space freed
    store.recordPruningStep(runId, big);
    ASSERT_EQ(store.pruningSteps(runId).size(), 1u);
    EXPECT_EQ(store.pruningSteps(runId)[0].masks.back().bits, noise.bits);
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

TEST_F(RunStoreTest, StructuredRunsKeepLatencyKeptChannelsAndTheirFilesUntilDeleted)
{
    RunStore store(dbPath());
    const int64_t runId = store.beginRun(someConfig(), "v");
    const int64_t other = store.beginRun(someConfig(), "v");
    PruningStep step = someStep();
    step.layers[0].channels = 3;
    step.layers[0].channelsKept = 2;
    store.recordPruningStep(runId, step);

    const QString modelFile = store.artifactPath(runId, "model.pt");
    EXPECT_TRUE(modelFile.startsWith(dbPath() + ".files/run-"));
    ASSERT_TRUE(QDir().mkpath(QFileInfo(modelFile).path()));
    QFile file(modelFile);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("weights");
    file.close();

    RunSummary summary;
    summary.structured = true;
    summary.modelFile = modelFile.toStdString();
    summary.latency = {{"dense", 1, 0.5, 0.4, 0.7, 30},
                       {"pruned", 1, 0.25, 0.2, 0.3, 30},
                       {"dense", 64, 8.0, 7.5, 9.0, 30, "optimize_for_inference"},
                       {"pruned", 64, 2.0, 1.9, 2.4, 30, "frozen, channels-last", 1.95, 2.6, 1.8, 3.0}};
    store.finishRun(runId, summary);
    RunSummary otherSummary;
    otherSummary.latency = {{"dense", 64, 1.0, 1.0, 1.0, 5}};
    store.finishRun(other, otherSummary);

    for (const auto& run : {*store.findRun(runId), store.listRuns().back()}) {
        ASSERT_EQ(run.id, runId);
        EXPECT_TRUE(run.summary.structured);
        EXPECT_EQ(run.summary.modelFile, modelFile.toStdString());
        ASSERT_EQ(run.summary.latency.size(), 4u);  // its own rows only
        EXPECT_DOUBLE_EQ(run.summary.measuredSpeedup(64), 4.0);
        EXPECT_DOUBLE_EQ(run.summary.latencyOf("pruned", 1)->p90Ms, 0.3);
        // Which deployment path won is kept with each figure.
        EXPECT_EQ(run.summary.latencyOf("dense", 64)->path, "optimize_for_inference");
        EXPECT_EQ(run.summary.latencyOf("pruned", 64)->path, "frozen, channels-last");
        EXPECT_EQ(run.summary.latencyOf("pruned", 1)->path, "");
        // The spread is kept, so the window can say when the machine was busy.
        const LatencyMeasurement& spread = *run.summary.latencyOf("pruned", 64);
        EXPECT_DOUBLE_EQ(spread.p25Ms, 1.95);
        EXPECT_DOUBLE_EQ(spread.p75Ms, 2.6);
        EXPECT_DOUBLE_EQ(spread.minMs, 1.8);
        EXPECT_DOUBLE_EQ(spread.maxMs, 3.0);
        EXPECT_TRUE(spread.measuredOnBusyMachine());  // (2.6 − 1.95) / 2.0 = 32.5 %
        EXPECT_FALSE(run.summary.latencyOf("dense", 1)->hasQuartiles());
    }
    EXPECT_EQ(store.findRun(other)->summary.latency.size(), 1u);
    const auto layers = store.pruningSteps(runId, false).front().layers;
    EXPECT_EQ(layers[0].channels, 3);
    EXPECT_EQ(layers[0].channelsKept, 2);

    store.deleteRun(runId);
    EXPECT_FALSE(QFileInfo::exists(modelFile));
    EXPECT_EQ(countRows(QStringLiteral("SELECT count(*) FROM latency WHERE run_id=%1").arg(runId)), 0);
}

TEST_F(RunStoreTest, ADeletedRunGoesToTheTrashAndComesBackUntilTheTrashIsEmptied)
{
    RunStore store(dbPath());
    const int64_t sweep = store.createSweep("week 2", "{}");
    const int64_t kept = store.beginRun(someConfig(), "v", sweep);
    store.finishRun(kept, RunSummary{});
    const int64_t trashed = store.beginRun(someConfig(), "v", sweep);
    store.recordEpoch(trashed, {"dense", 1, 0.1, 1, 0.5, 1, 0.5});
    store.recordPruningStep(trashed, someStep());
    store.finishRun(trashed, RunSummary{});
    const QString file = store.artifactPath(trashed, "model.pt");
    ASSERT_TRUE(QDir().mkpath(QFileInfo(file).path()));
    QFile model(file);
    ASSERT_TRUE(model.open(QIODevice::WriteOnly));
    model.write("weights");
    model.close();

    // In the trash: gone from the lists, still whole (rows and files) and findable by id.
    store.trashRun(trashed);
    ASSERT_EQ(store.listRuns().size(), 1u);
    EXPECT_EQ(store.listRuns()[0].id, kept);
    ASSERT_EQ(store.runsOfSweep(sweep).size(), 1u);
    ASSERT_EQ(store.trashedRuns().size(), 1u);
    EXPECT_EQ(store.trashedRuns()[0].id, trashed);
    EXPECT_FALSE(store.trashedRuns()[0].deletedAt.empty());
    EXPECT_FALSE(store.findRun(trashed)->deletedAt.empty());
    EXPECT_TRUE(store.findRun(kept)->deletedAt.empty());
    EXPECT_EQ(store.epochs(trashed).size(), 1u);
    EXPECT_TRUE(QFileInfo::exists(file));

    // Restored: listed again, with everything it had.
    store.restoreRun(trashed);
    EXPECT_EQ(store.listRuns().size(), 2u);
    EXPECT_TRUE(store.trashedRuns().empty());
    EXPECT_EQ(store.pruningSteps(trashed).size(), 1u);
    EXPECT_THROW(store.restoreRun(trashed), StorageError);  // not in the trash any more
    EXPECT_THROW(store.trashRun(kept + trashed + 100), StorageError);  // no such run

    // Emptied: the trashed run's rows and files are gone for good; the other run stays.
    store.trashRun(trashed);
    EXPECT_EQ(store.emptyTrash(), 1);
    EXPECT_FALSE(store.findRun(trashed));
    EXPECT_FALSE(QFileInfo::exists(file));
    EXPECT_EQ(countRows(QStringLiteral("SELECT count(*) FROM metrics WHERE run_id=%1").arg(trashed)), 0);
    EXPECT_EQ(countRows(QStringLiteral("SELECT count(*) FROM masks WHERE run_id=%1").arg(trashed)), 0);
    EXPECT_TRUE(store.trashedRuns().empty());
    EXPECT_EQ(store.listRuns().size(), 1u);
    EXPECT_EQ(store.emptyTrash(), 0);
    EXPECT_EQ(store.integrityCheck(), "ok");
}

TEST_F(RunStoreTest, ARunStillRunningCannotGoToTheTrash)
{
    RunStore store(dbPath());
    const int64_t running = store.beginRun(someConfig(), "v");
    EXPECT_THROW(store.trashRun(running), StorageError);
    EXPECT_EQ(store.listRuns().size(), 1u);
    store.endRun(running, RunStatus::Cancelled, "stopped");
    store.trashRun(running);
    EXPECT_TRUE(store.listRuns().empty());
}

TEST_F(RunStoreTest, ADatabaseOfSchemaSixGainsTheTrashWithItsRunsListed)
{
    int64_t runId = 0;
    {
        RunStore store(dbPath());
        runId = store.beginRun(someConfig(), "v");
        store.finishRun(runId, RunSummary{});
    }
    // Back to schema 6 as the previous release left it: no deleted_at column.
    rawSql({"ALTER TABLE runs DROP COLUMN deleted_at", "PRAGMA user_version=6"});
    RunStore store(dbPath());
    EXPECT_EQ(store.schemaVersion(), RunStore::kSchemaVersion);
    ASSERT_EQ(store.listRuns().size(), 1u);
    EXPECT_TRUE(store.listRuns()[0].deletedAt.empty());
    store.trashRun(runId);
    EXPECT_TRUE(store.listRuns().empty());
}

TEST_F(RunStoreTest, SalvageTriesGarbageIdsOneByOneNotAsARangeUpToThem)
{
    // Found by fuzz_run_store: a damaged file whose ids reach 2^62 made list and recover try
    // every id up to it. Here the sequence and one row carry such ids, as garbage would.
    RunStore store(dbPath());
    const int64_t first = store.beginRun(defaultExperiment(), "v");
    const int64_t second = store.beginRun(defaultExperiment(), "v");
    QSqlDatabase db = storeConnection();
    ASSERT_TRUE(db.isOpen());
    QSqlQuery query(db);
    const qint64 garbage = qint64(1) << 62;
    ASSERT_TRUE(query.exec(QStringLiteral("UPDATE runs SET id=%1 WHERE id=%2").arg(garbage).arg(second)));
    ASSERT_TRUE(query.exec(QStringLiteral("UPDATE sqlite_sequence SET seq=%1 WHERE name='runs'").arg(garbage)));
    const std::vector<int64_t> ids = store.runIdsForSalvage();
    // The two scanned ids, the range up to 2 + the limit, and nothing more (before: 2^62 ids).
    EXPECT_LE(ids.size(), 3u + size_t(RunStore::kSalvageRangeLimit));
    EXPECT_TRUE(std::find(ids.begin(), ids.end(), first) != ids.end());
    EXPECT_EQ(ids.back(), garbage) << "the garbage id itself is still tried";
}
