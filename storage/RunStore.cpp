// Writing, reading and editing runs. Opening the database (connection, WAL, schema and
// migrations) and the query helpers are in RunStoreSchema.cpp.
#include "RunStore.h"

#include "SqlTransaction.h"
#include "core/TextFormat.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <unistd.h>

namespace prunescope {
namespace {

// Runs begun by this process: a "running" row carrying our pid but not in this set was left by
// an earlier process that happened to have the same pid (common in containers).
std::mutex g_ownRunsMutex;
std::set<std::pair<QString, int64_t>> g_ownRuns;

constexpr const char* kInterruptedMessage = "the process running it ended unexpectedly";

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

// Stored as "64x32x3x3" (core's shapeText with "x"); parseShape reads it back.
QString storedShape(const std::vector<int64_t>& shape)
{
    return QString::fromStdString(shapeText(shape, "x"));
}

std::vector<int64_t> parseShape(const QString& text)
{
    std::vector<int64_t> shape;
    for (const QString& part : text.split('x', Qt::SkipEmptyParts))
        shape.push_back(part.toLongLong());
    return shape;
}

bool processAlive(int64_t pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

const char* const kMetricNames[]
    = {"learning_rate", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy"};
}  // namespace

int64_t RunStore::createSweep(const std::string& name, const std::string& specJson)
{
    QSqlQuery query = prepare("INSERT INTO sweeps (name, created_at, spec_json) VALUES (?, ?, ?)");
    query.addBindValue(QString::fromStdString(name));
    query.addBindValue(nowUtc());
    query.addBindValue(QString::fromStdString(specJson));
    run(query, "recording a sweep");
    return query.lastInsertId().toLongLong();
}

std::vector<StoredRun> RunStore::runsOfSweep(int64_t sweepId) const
{
    QSqlQuery query = prepare("SELECT * FROM runs WHERE sweep_id=? AND deleted_at IS NULL ORDER BY id");
    query.addBindValue(qint64(sweepId));
    run(query, "listing the runs of a sweep");
    std::vector<StoredRun> runs;
    while (query.next())
        runs.push_back(runFromQuery(query));
    attachLatency(runs);
    return runs;
}

int64_t RunStore::beginRun(const ExperimentConfig& config, const std::string& versions, int64_t sweepId)
{
    QSqlQuery query = prepare(
        "INSERT INTO runs (name, model, method, seed, config_json, status, started_at, versions, host, pid, sweep_id) "
        "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)");
    query.addBindValue(QString::fromStdString(config.name));
    query.addBindValue(QString::fromStdString(config.model));
    query.addBindValue(QString::fromStdString(config.method));
    // SQLite integers are signed 64-bit; the seed keeps its bits.
    query.addBindValue(qint64(config.seed));
    query.addBindValue(QString::fromStdString(toJson(config)));
    query.addBindValue(nowUtc());
    query.addBindValue(QString::fromStdString(versions));
    query.addBindValue(QSysInfo::machineHostName());
    query.addBindValue(qint64(::getpid()));
    query.addBindValue(sweepId > 0 ? QVariant(qint64(sweepId)) : QVariant());
    run(query, "recording the start of a run");
    const int64_t id = query.lastInsertId().toLongLong();
    std::lock_guard lock(g_ownRunsMutex);
    g_ownRuns.insert({QFileInfo(m_path).absoluteFilePath(), id});
    return id;
}

void RunStore::recordEpoch(int64_t runId, const EpochMetrics& m)
{
    QSqlDatabase db = database();
    SqlTransaction transaction(db, m_path);
    QSqlQuery query
        = prepare("INSERT INTO metrics (run_id, phase, epoch, name, value, segment) VALUES (?, ?, ?, ?, ?, ?)");
    const double values[] = {m.learningRate, m.trainLoss, m.trainAccuracy, m.validationLoss, m.validationAccuracy};
    for (size_t i = 0; i < std::size(values); ++i) {
        query.bindValue(0, qint64(runId));
        query.bindValue(1, QString::fromStdString(m.phase));
        query.bindValue(2, m.epoch);
        query.bindValue(3, QString::fromLatin1(kMetricNames[i]));
        query.bindValue(4, values[i]);
        query.bindValue(5, m.segment);
        run(query, "recording an epoch");
    }
    for (const auto& [name, value] : m.extra) {
        query.bindValue(0, qint64(runId));
        query.bindValue(1, QString::fromStdString(m.phase));
        query.bindValue(2, m.epoch);
        query.bindValue(3, QString::fromStdString(name));
        query.bindValue(4, value);
        query.bindValue(5, m.segment);
        run(query, "recording an epoch");
    }
    transaction.commit();
}

void RunStore::recordPruningStep(int64_t runId, const PruningStep& step)
{
    QSqlDatabase db = database();
    SqlTransaction transaction(db, m_path);
    QSqlQuery layer
        = prepare("INSERT INTO layers (run_id, step, position, layer, kind, shape, parameters, nonzeros, dense_macs, "
                  "effective_macs, pruned, channels, channels_kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int position = 0;
    for (const auto& l : step.layers) {
        layer.bindValue(0, qint64(runId));
        layer.bindValue(1, step.step);
        layer.bindValue(2, position++);
        layer.bindValue(3, QString::fromStdString(l.name));
        layer.bindValue(4, QString::fromStdString(l.kind));
        layer.bindValue(5, storedShape(l.shape));
        layer.bindValue(6, qint64(l.parameters));
        layer.bindValue(7, qint64(l.nonzeros));
        layer.bindValue(8, l.denseMacs);
        layer.bindValue(9, l.effectiveMacs);
        layer.bindValue(10, l.pruned ? 1 : 0);
        layer.bindValue(11, qint64(l.channels));
        layer.bindValue(12, qint64(l.channelsKept));
        run(layer, "recording layer statistics");
    }
    QSqlQuery mask
        = prepare("INSERT INTO masks (run_id, step, position, layer, shape, bits) VALUES (?, ?, ?, ?, ?, ?)");
    position = 0;
    for (const auto& m : step.masks) {
        mask.bindValue(0, qint64(runId));
        mask.bindValue(1, step.step);
        mask.bindValue(2, position++);
        mask.bindValue(3, QString::fromStdString(m.layer));
        mask.bindValue(4, storedShape(m.shape));
        // Masks are long runs of equal bits: zlib shrinks them many times over.
        mask.bindValue(
            5, qCompress(QByteArray(reinterpret_cast<const char*>(m.bits.data()), qsizetype(m.bits.size())), 6));
        run(mask, "recording a mask");
    }
    QSqlQuery metric = prepare("INSERT INTO step_metrics (run_id, step, name, value) VALUES (?, ?, ?, ?)");
    for (const auto& [name, value] : step.metrics) {
        metric.bindValue(0, qint64(runId));
        metric.bindValue(1, step.step);
        metric.bindValue(2, QString::fromStdString(name));
        metric.bindValue(3, value);
        run(metric, "recording a step measurement");
    }
    transaction.commit();
}

void RunStore::finishRun(int64_t runId, const RunSummary& s)
{
    QSqlDatabase db = database();
    SqlTransaction transaction(db, m_path);
    insertLatency(runId, s.latency);
    QSqlQuery query = prepare(
        "UPDATE runs SET status='finished', finished_at=?, dense_test_accuracy=?, dense_test_loss=?, "
        "pruned_test_accuracy=?, test_accuracy=?, test_loss=?, parameters=?, nonzeros=?, prunable_parameters=?, "
        "prunable_nonzeros=?, sparsity=?, compression_ratio=?, dense_macs=?, effective_macs=?, "
        "theoretical_speedup=?, dense_bytes=?, sparse_bytes=?, duration_seconds=?, dense_from_cache=?, structured=?, "
        "model_file=? WHERE id=? AND status='running'");  // an abandoned (cancelled) run stays so
    query.addBindValue(nowUtc());
    query.addBindValue(s.denseTestAccuracy);
    query.addBindValue(s.denseTestLoss);
    query.addBindValue(s.prunedTestAccuracy);
    query.addBindValue(s.testAccuracy);
    query.addBindValue(s.testLoss);
    query.addBindValue(qint64(s.parameters));
    query.addBindValue(qint64(s.nonzeros));
    query.addBindValue(qint64(s.prunableParameters));
    query.addBindValue(qint64(s.prunableNonzeros));
    query.addBindValue(s.sparsity);
    query.addBindValue(s.compressionRatio);
    query.addBindValue(s.denseMacs);
    query.addBindValue(s.effectiveMacs);
    query.addBindValue(s.theoreticalSpeedup);
    query.addBindValue(qint64(s.denseBytes));
    query.addBindValue(qint64(s.sparseBytes));
    query.addBindValue(s.durationSeconds);
    query.addBindValue(s.denseFromCache ? 1 : 0);
    query.addBindValue(s.structured ? 1 : 0);
    query.addBindValue(QString::fromStdString(s.modelFile));
    query.addBindValue(qint64(runId));
    run(query, "recording the end of a run");
    transaction.commit();
}

void RunStore::endRun(int64_t runId, RunStatus status, const std::string& message)
{
    if (status != RunStatus::Failed && status != RunStatus::Cancelled)
        throw std::invalid_argument("endRun takes Failed or Cancelled");
    // Only a running run ends: a late second writer (a forced stop racing the run's own end)
    // cannot turn a finished run into a cancelled one.
    QSqlQuery query
        = prepare("UPDATE runs SET status=?, finished_at=?, error_message=? WHERE id=? AND status='running'");
    query.addBindValue(QString::fromLatin1(statusName(status)));
    query.addBindValue(nowUtc());
    query.addBindValue(QString::fromStdString(message));
    query.addBindValue(qint64(runId));
    run(query, "recording the end of a run");
}

int RunStore::markInterruptedRuns()
{
    if (isReadOnly())
        throw StorageError(m_path.toStdString() + ": opened read-only; runs cannot be marked");
    const std::vector<int64_t> interrupted = interruptedRunIds();
    for (int64_t id : interrupted) {
        QSqlQuery update
            = prepare("UPDATE runs SET status='interrupted', error_message=? WHERE id=? AND status='running'");
        update.addBindValue(QString::fromUtf8(kInterruptedMessage));
        update.addBindValue(qint64(id));
        run(update, "marking an interrupted run");
    }
    return int(interrupted.size());
}

std::vector<int64_t> RunStore::interruptedRunIds() const
{
    const QString host = QSysInfo::machineHostName();
    const QString absolutePath = QFileInfo(m_path).absoluteFilePath();
    QSqlQuery running = prepare("SELECT id, pid FROM runs WHERE status='running' AND host=?");
    running.addBindValue(host);
    run(running, "looking for interrupted runs");
    std::vector<int64_t> interrupted;
    while (running.next()) {
        const int64_t id = running.value(0).toLongLong();
        const int64_t pid = running.value(1).toLongLong();
        bool ours = false;
        {
            std::lock_guard lock(g_ownRunsMutex);
            ours = g_ownRuns.count({absolutePath, id}) > 0;
        }
        const bool deadProcess = !processAlive(pid);
        const bool reusedPid = pid == int64_t(::getpid()) && !ours;
        if (deadProcess || reusedPid)
            interrupted.push_back(id);
    }
    return interrupted;
}

StoredRun RunStore::runFromQuery(const QSqlQuery& q) const
{
    StoredRun r;
    r.id = q.value("id").toLongLong();
    r.name = q.value("name").toString().toStdString();
    r.configJson = q.value("config_json").toString().toStdString();
    try {
        r.config = experimentFromJson(r.configJson);
    } catch (const std::exception& e) {
        // A config this version cannot read is shown, not fatal: the run stays listed.
        r.config.model = q.value("model").toString().toStdString();
        r.config.method = q.value("method").toString().toStdString();
        r.errorMessage = std::string("stored config unreadable: ") + e.what();
    }
    try {
        r.status = statusFromName(q.value("status").toString().toStdString());
    } catch (const std::exception&) {
        r.status = RunStatus::Failed;
    }
    if (r.status == RunStatus::Running && m_interruptedIds.count(r.id)) {
        r.status = RunStatus::Interrupted;
        r.errorMessage = kInterruptedMessage;
    }
    r.startedAt = q.value("started_at").toString().toStdString();
    r.finishedAt = q.value("finished_at").toString().toStdString();
    if (r.errorMessage.empty())
        r.errorMessage = q.value("error_message").toString().toStdString();
    r.versions = q.value("versions").toString().toStdString();
    r.host = q.value("host").toString().toStdString();
    r.pid = q.value("pid").toLongLong();
    r.tags = q.value("tags").toString().toStdString();
    r.notes = q.value("notes").toString().toStdString();
    r.sweepId = q.value("sweep_id").toLongLong();
    r.deletedAt = q.value("deleted_at").toString().toStdString();
    RunSummary& s = r.summary;
    s.denseTestAccuracy = q.value("dense_test_accuracy").toDouble();
    s.denseTestLoss = q.value("dense_test_loss").toDouble();
    s.prunedTestAccuracy = q.value("pruned_test_accuracy").toDouble();
    s.testAccuracy = q.value("test_accuracy").toDouble();
    s.testLoss = q.value("test_loss").toDouble();
    s.parameters = q.value("parameters").toLongLong();
    s.nonzeros = q.value("nonzeros").toLongLong();
    s.prunableParameters = q.value("prunable_parameters").toLongLong();
    s.prunableNonzeros = q.value("prunable_nonzeros").toLongLong();
    s.sparsity = q.value("sparsity").toDouble();
    s.compressionRatio = q.value("compression_ratio").toDouble();
    s.denseMacs = q.value("dense_macs").toDouble();
    s.effectiveMacs = q.value("effective_macs").toDouble();
    s.theoreticalSpeedup = q.value("theoretical_speedup").toDouble();
    s.denseBytes = q.value("dense_bytes").toLongLong();
    s.sparseBytes = q.value("sparse_bytes").toLongLong();
    s.durationSeconds = q.value("duration_seconds").toDouble();
    s.denseFromCache = q.value("dense_from_cache").toInt() != 0;
    s.structured = q.value("structured").toInt() != 0;
    s.modelFile = q.value("model_file").toString().toStdString();
    return r;
}

void RunStore::insertLatency(int64_t runId, const std::vector<LatencyMeasurement>& latency)
{
    QSqlQuery query = prepare("INSERT INTO latency (run_id, network, batch, median_ms, p10_ms, p90_ms, repeats, path, "
                              "p25_ms, p75_ms, min_ms, max_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& l : latency) {
        query.bindValue(0, qint64(runId));
        query.bindValue(1, QString::fromStdString(l.network));
        query.bindValue(2, l.batch);
        query.bindValue(3, l.medianMs);
        query.bindValue(4, l.p10Ms);
        query.bindValue(5, l.p90Ms);
        query.bindValue(6, l.repeats);
        query.bindValue(7, QString::fromStdString(l.path));
        query.bindValue(8, l.p25Ms);
        query.bindValue(9, l.p75Ms);
        query.bindValue(10, l.minMs);
        query.bindValue(11, l.maxMs);
        run(query, "recording latency");
    }
}

void RunStore::replaceLatency(int64_t runId, const std::vector<LatencyMeasurement>& latency)
{
    QSqlDatabase db = database();
    SqlTransaction transaction(db, m_path);
    QSqlQuery remove = prepare("DELETE FROM latency WHERE run_id=?");
    remove.addBindValue(qint64(runId));
    run(remove, "replacing latency");
    insertLatency(runId, latency);
    transaction.commit();
}

void RunStore::attachLatency(std::vector<StoredRun>& runs) const
{
    if (runs.empty())
        return;
    std::map<int64_t, StoredRun*> byId;
    for (auto& r : runs)
        byId[r.id] = &r;
    QSqlQuery query = prepare(
        runs.size() == 1 ? "SELECT run_id, network, batch, median_ms, p10_ms, p90_ms, repeats, path, p25_ms, p75_ms, "
                           "min_ms, max_ms FROM latency WHERE run_id=? ORDER BY rowid"
                         : "SELECT run_id, network, batch, median_ms, p10_ms, p90_ms, repeats, path, p25_ms, p75_ms, "
                           "min_ms, max_ms FROM latency ORDER BY rowid");
    if (runs.size() == 1)
        query.addBindValue(qint64(runs.front().id));
    run(query, "reading latency");
    while (query.next()) {
        const auto it = byId.find(query.value(0).toLongLong());
        if (it == byId.end())
            continue;
        it->second->summary.latency.push_back(
            {query.value(1).toString().toStdString(), query.value(2).toInt(), query.value(3).toDouble(),
             query.value(4).toDouble(), query.value(5).toDouble(), query.value(6).toInt(),
             query.value(7).toString().toStdString(), query.value(8).toDouble(), query.value(9).toDouble(),
             query.value(10).toDouble(), query.value(11).toDouble()});
    }
}

std::vector<StoredRun> RunStore::listRuns() const
{
    std::vector<StoredRun> runs;
    try {
        QSqlQuery query = prepare("SELECT * FROM runs WHERE deleted_at IS NULL ORDER BY id DESC");
        run(query, "listing runs");
        while (query.next())
            runs.push_back(runFromQuery(query));
        // A scan that meets a damaged page stops there: next() is false and the error is set.
        if (query.lastError().isValid())
            throw StorageError(m_path.toStdString()
                               + ": listing runs failed: " + query.lastError().text().toStdString());
        attachLatency(runs);
    } catch (const StorageError&) {
        if (m_damage.empty())
            throw;
        return salvageRuns();
    }
    return runs;
}

std::vector<int64_t> RunStore::runIdsForSalvage() const
{
    // AUTOINCREMENT keeps the largest id ever given in sqlite_sequence (another table, most likely
    // on another page); ids a damaged scan still returns are added in case it is unreadable too.
    std::set<int64_t> ids;
    int64_t largest = 0;
    QSqlQuery sequence(database());
    if (sequence.exec("SELECT seq FROM sqlite_sequence WHERE name='runs'") && sequence.next())
        largest = sequence.value(0).toLongLong();
    QSqlQuery scan(database());
    if (scan.exec("SELECT id FROM runs")) {
        while (scan.next())
            ids.insert(scan.value(0).toLongLong());
    }
    // Ids between the scanned ones are tried only up to the sequence's largest id, itself capped:
    // a damaged scan may return garbage ids (2^62), which are tried one by one, never as a range.
    if (!ids.empty())
        largest = std::max(largest, *ids.rbegin());
    largest = std::min(largest, int64_t(ids.size()) + kSalvageRangeLimit);
    for (int64_t id = 1; id <= largest; ++id)
        ids.insert(id);
    return {ids.begin(), ids.end()};
}

std::vector<StoredRun> RunStore::salvageRuns() const
{
    std::vector<StoredRun> runs;
    const std::vector<int64_t> ids = runIdsForSalvage();
    for (auto id = ids.rbegin(); id != ids.rend(); ++id) {
        try {
            if (auto found = findRun(*id); found && found->deletedAt.empty())
                runs.push_back(std::move(*found));
        } catch (const StorageError&) {
            // On the damaged page: left out; `recover` reports it.
        }
    }
    return runs;
}

std::optional<StoredRun> RunStore::findRun(int64_t runId) const
{
    QSqlQuery query = prepare("SELECT * FROM runs WHERE id=?");
    query.addBindValue(qint64(runId));
    run(query, "reading a run");
    if (!query.next())
        return std::nullopt;
    std::vector<StoredRun> found{runFromQuery(query)};
    attachLatency(found);
    return found.front();
}

std::vector<EpochMetrics> RunStore::epochs(int64_t runId) const
{
    QSqlQuery query = prepare("SELECT phase, epoch, name, value, segment FROM metrics WHERE run_id=? ORDER BY rowid");
    query.addBindValue(qint64(runId));
    run(query, "reading epochs");
    std::vector<EpochMetrics> result;
    while (query.next()) {
        const std::string phase = query.value(0).toString().toStdString();
        const int epoch = query.value(1).toInt();
        if (result.empty() || result.back().phase != phase || result.back().epoch != epoch) {
            result.emplace_back();
            result.back().phase = phase;
            result.back().epoch = epoch;
            result.back().segment = query.value(4).toInt();
        }
        EpochMetrics& m = result.back();
        const QString name = query.value(2).toString();
        const double value = query.value(3).toDouble();
        if (name == "learning_rate")
            m.learningRate = value;
        else if (name == "train_loss")
            m.trainLoss = value;
        else if (name == "train_accuracy")
            m.trainAccuracy = value;
        else if (name == "validation_loss")
            m.validationLoss = value;
        else if (name == "validation_accuracy")
            m.validationAccuracy = value;
        else
            m.extra[name.toStdString()] = value;
    }
    return result;
}

std::vector<PruningStep> RunStore::pruningSteps(int64_t runId, bool withMasks) const
{
    std::vector<PruningStep> steps;
    auto stepFor = [&](int step) -> PruningStep& {
        for (auto& s : steps) {
            if (s.step == step)
                return s;
        }
        steps.push_back({step, {}, {}, {}});
        return steps.back();
    };
    QSqlQuery layers = prepare(
        "SELECT step, layer, kind, shape, parameters, nonzeros, dense_macs, effective_macs, pruned, channels, "
        "channels_kept FROM layers "
        "WHERE run_id=? ORDER BY step, position, rowid");
    layers.addBindValue(qint64(runId));
    run(layers, "reading layer statistics");
    while (layers.next()) {
        LayerStats l;
        l.name = layers.value(1).toString().toStdString();
        l.kind = layers.value(2).toString().toStdString();
        l.shape = parseShape(layers.value(3).toString());
        l.parameters = layers.value(4).toLongLong();
        l.nonzeros = layers.value(5).toLongLong();
        l.denseMacs = layers.value(6).toDouble();
        l.effectiveMacs = layers.value(7).toDouble();
        l.pruned = layers.value(8).toInt() != 0;
        l.channels = layers.value(9).toLongLong();
        l.channelsKept = layers.value(10).toLongLong();
        stepFor(layers.value(0).toInt()).layers.push_back(std::move(l));
    }
    QSqlQuery metrics = prepare("SELECT step, name, value FROM step_metrics WHERE run_id=? ORDER BY step, rowid");
    metrics.addBindValue(qint64(runId));
    run(metrics, "reading step measurements");
    while (metrics.next())
        stepFor(metrics.value(0).toInt()).metrics[metrics.value(1).toString().toStdString()]
            = metrics.value(2).toDouble();
    if (withMasks) {
        QSqlQuery masks
            = prepare("SELECT step, layer, shape, bits FROM masks WHERE run_id=? ORDER BY step, position, rowid");
        masks.addBindValue(qint64(runId));
        run(masks, "reading masks");
        while (masks.next()) {
            MaskSnapshot m;
            m.layer = masks.value(1).toString().toStdString();
            m.shape = parseShape(masks.value(2).toString());
            const QByteArray bits = qUncompress(masks.value(3).toByteArray());
            m.bits.assign(bits.begin(), bits.end());
            if (int64_t(m.bits.size()) != (m.numel() + 7) / 8)
                throw StorageError(m_path.toStdString() + ": the stored mask of layer " + m.layer + " in run "
                                   + std::to_string(runId) + " is damaged");
            stepFor(masks.value(0).toInt()).masks.push_back(std::move(m));
        }
    }
    std::sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.step < b.step; });
    return steps;
}

void RunStore::setTags(int64_t runId, const std::string& tags)
{
    QSqlQuery query = prepare("UPDATE runs SET tags=? WHERE id=?");
    query.addBindValue(QString::fromStdString(tags));
    query.addBindValue(qint64(runId));
    run(query, "saving tags");
}

void RunStore::setNotes(int64_t runId, const std::string& notes)
{
    QSqlQuery query = prepare("UPDATE runs SET notes=? WHERE id=?");
    query.addBindValue(QString::fromStdString(notes));
    query.addBindValue(qint64(runId));
    run(query, "saving notes");
}

void RunStore::deleteRun(int64_t runId)
{
    QSqlQuery query = prepare("DELETE FROM runs WHERE id=?");
    query.addBindValue(qint64(runId));
    run(query, "deleting a run");
    // The rows are gone; the files follow (a failure here leaves only orphaned files).
    removeArtifacts(runId);
}

void RunStore::removeArtifacts(int64_t runId) const
{
    QDir(QFileInfo(artifactPath(runId, QStringLiteral("x"))).path()).removeRecursively();
}

QString RunStore::artifactPath(int64_t runId, const QString& file) const
{
    const QFileInfo database(m_path);
    return database.absolutePath() + QLatin1Char('/') + database.fileName()
        + QStringLiteral(".files/run-%1/").arg(runId) + file;
}

}  // namespace prunescope
