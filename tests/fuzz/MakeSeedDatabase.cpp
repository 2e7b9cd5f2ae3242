// Writes the seed database of fuzz_run_store: a PruneScope database made by RunStore itself, with
// one finished run (epochs, a pruning step with layer statistics and masks, latency, tags, notes),
// one failed run and one in the trash, then rewritten with 512-byte pages so the seed stays a few
// kilobytes (the fuzzer mutates every byte of it). Usage: fuzz_make_seed_database OUT.sqlite

#include "RunStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>

using namespace prunescope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT.sqlite\n", argv[0]);
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    QFile::remove(path);
    {
        RunStore store(path);
        ExperimentConfig config = defaultExperiment();
        config.dataset.trainLimit = 64;
        const int64_t id = store.beginRun(config, "seed");
        EpochMetrics epoch{.phase = "dense",
                           .epoch = 1,
                           .learningRate = 0.05,
                           .trainLoss = 1.5,
                           .trainAccuracy = 0.4,
                           .validationLoss = 1.4,
                           .validationAccuracy = 0.45};
        epoch.extra["sparsity"] = 0.5;
        store.recordEpoch(id, epoch);
        PruningStep step;
        step.step = 1;
        step.layers.push_back({.name = "conv1",
                               .kind = "conv",
                               .shape = {2, 1, 3, 3},
                               .parameters = 18,
                               .nonzeros = 9,
                               .denseMacs = 100,
                               .effectiveMacs = 50,
                               .channels = 2,
                               .channelsKept = 2});
        step.masks.push_back({.layer = "conv1", .shape = {2, 1, 3, 3}, .bits = {0x55, 0xAA, 0x01}});
        step.metrics["test_accuracy"] = 0.5;
        store.recordPruningStep(id, step);
        RunSummary summary;
        summary.testAccuracy = 0.5;
        summary.parameters = 18;
        summary.nonzeros = 9;
        summary.latency.push_back({.network = "dense",
                                   .batch = 1,
                                   .medianMs = 1,
                                   .p10Ms = 0.9,
                                   .p90Ms = 1.1,
                                   .repeats = 3,
                                   .path = "frozen",
                                   .p25Ms = 0.95,
                                   .p75Ms = 1.05,
                                   .minMs = 0.9,
                                   .maxMs = 1.2});
        store.finishRun(id, summary);
        store.setTags(id, "seed,fuzz");
        store.setNotes(id, "a note");
        const int64_t failed = store.beginRun(config, "seed");
        store.endRun(failed, RunStatus::Failed, "the seed's failed run");
        const int64_t trashed = store.beginRun(config, "seed");
        store.endRun(trashed, RunStatus::Cancelled, "cancelled");
        store.trashRun(trashed);
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "shrink");
        db.setDatabaseName(path);
        if (!db.open())
            return 1;
        QSqlQuery query(db);
        for (const char* sql : {"PRAGMA journal_mode=DELETE", "PRAGMA page_size=512", "VACUUM"}) {
            if (!query.exec(sql)) {
                std::fprintf(stderr, "%s: %s\n", sql, query.lastError().text().toLocal8Bit().constData());
                return 1;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase("shrink");
    return 0;
}
