#pragma once
// The Runs tab: the stored runs as a sortable, filterable table, tags and notes edited in place,
// and the run actions (show details, re-run with the same config, delete to the trash); the
// trash shown in the same table, with restore and empty. It holds the UI
// thread's own connection to the run database, which other views borrow as a shared pointer
// (a view that keeps it cannot be left with a store that was closed under it).

#include "RunStore.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QPushButton;
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
    // File ▸ Open: lists the runs of another database (nothing selected, the trash closed).
    void setDatabasePath(const QString& databasePath);

    // The run being executed cannot be deleted under its worker.
    void setActiveRun(qint64 runId) { m_activeRunId = runId; }

    // The selected runs in table order (none selected, or the trash shown: empty).
    std::vector<StoredRun> selectedRuns() const;
    // Every run read (not those in the trash), newest first.
    std::vector<StoredRun> allRuns() const;
    // Makes `runId` the one selected run (the list shown, not the trash); false when not listed.
    bool selectRun(qint64 runId);
    // The table lists the trash instead of the runs (Restore and Empty trash instead of the run
    // actions).
    void setTrashShown(bool shown);
    bool isTrashShown() const { return m_trashShown; }
    // The finished runs the table shows (after filtering; all of them when it shows the trash),
    // oldest first.
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
    // Moves the selected runs to the trash (not the one being executed).
    void deleteSelectedRun();
    void rerunSelectedRun();
    // The selected runs of the trash back in the list.
    void restoreSelectedRuns();
    // Deletes the runs in the trash for good, after asking (`confirm` false: without asking).
    void emptyTrash(bool confirm = true);

private:
    const StoredRun* runAtProxyRow(const QModelIndex& index) const;
    const StoredRun* firstSelectedRun() const;
    void saveRunEdit(qint64 runId, int column, const QString& text);

    void showActions();

    QString m_databasePath;
    std::shared_ptr<RunStore> m_store;
    qint64 m_activeRunId = 0;
    bool m_trashShown = false;
    std::vector<StoredRun> m_listed;  // the runs, not the trash, newest first
    std::vector<QPushButton*> m_runButtons;  // open, re-run, delete: for the runs
    QPushButton* m_trashButton = nullptr;  // shows the trash, with its count
    QPushButton* m_restoreButton = nullptr;
    QPushButton* m_emptyTrashButton = nullptr;
    RunsTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
};

}  // namespace prunescope
