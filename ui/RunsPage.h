#pragma once
// The Runs tab: the stored runs as a sortable, filterable table, tags and notes edited in place,
// and the run actions (show details, re-run with the same config, delete). It holds the UI
// thread's own connection to the run database, which other views borrow as a shared pointer
// (a view that keeps it cannot be left with a store that was closed under it).

#include "RunStore.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QSortFilterProxyModel;
class QTableView;

namespace prunescope {

class RunsTableModel;

class RunsPage : public QWidget {
    Q_OBJECT
public:
    explicit RunsPage(const QString& databasePath, QWidget* parent = nullptr);
    ~RunsPage() override;

    // Reads the runs again; on a database error the connection is dropped (and opened again by
    // the next refresh), the table emptied and the error reported.
    void refresh();
    // The UI thread's connection; null when the database cannot be read.
    std::shared_ptr<RunStore> store() const { return m_store; }

    // The run being executed cannot be deleted under its worker.
    void setActiveRun(qint64 runId) { m_activeRunId = runId; }

    // The selected runs in table order (none selected: empty).
    std::vector<StoredRun> selectedRuns() const;
    // Every run read, newest first.
    std::vector<StoredRun> allRuns() const;
    // The finished runs the table shows (after filtering), oldest first.
    std::vector<int64_t> shownFinishedRunIds() const;

    QTableView* view() const { return m_view; }

Q_SIGNALS:
    void showRunRequested(qint64 runId);
    void rerunRequested(const prunescope::StoredRun& run);
    void selectionChanged();
    // The list was read again (the Compare tab follows it).
    void runsChanged();
    void statusMessage(const QString& message, int timeoutMs);
    void errorOccurred(const QString& title, const QString& message);

public Q_SLOTS:
    void deleteSelectedRun();
    void rerunSelectedRun();

private:
    const StoredRun* runAtProxyRow(const QModelIndex& index) const;
    const StoredRun* firstSelectedRun() const;
    void saveRunEdit(qint64 runId, int column, const QString& text);

    QString m_databasePath;
    std::shared_ptr<RunStore> m_store;
    qint64 m_activeRunId = 0;
    RunsTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
};

}  // namespace prunescope
