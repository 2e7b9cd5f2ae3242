#pragma once
// Reads what the window shows of a stored run (its row, epochs and per-layer steps) from the
// database on a pool thread, with a RunStore opened there (one connection per thread), and hands
// it over on the UI thread. Only the latest request is answered: a read that arrives after
// another run was asked for, or after discard(), is dropped.

#include "RunStore.h"

#include <QObject>

#include <optional>
#include <vector>

namespace prunescope {

struct StoredRunData {
    StoredRun run;
    std::vector<EpochMetrics> epochs;
    std::vector<PruningStep> steps;  // without masks
};

class StoredRunReader : public QObject {
    Q_OBJECT
public:
    explicit StoredRunReader(const QString& databasePath, QObject* parent = nullptr);
    // Waits for a read still under way: it must not outlive the database it reads.
    ~StoredRunReader() override;

    void read(qint64 runId);
    // What is under way is no longer wanted (a live run now owns the charts).
    void discard() { ++m_request; }
    // File ▸ Open: reads from another database; what is under way for the old one is dropped.
    void setDatabasePath(const QString& databasePath)
    {
        discard();
        m_databasePath = databasePath;
    }
    bool isReading() const { return m_pending > 0; }

Q_SIGNALS:
    void runRead(const prunescope::StoredRunData& data);
    // Reading failed, or there is no such run.
    void readFailed(qint64 runId, const QString& message);

private:
    QString m_databasePath;
    quint64 m_request = 0;
    int m_pending = 0;  // reads not yet delivered, current or dropped
};

}  // namespace prunescope
