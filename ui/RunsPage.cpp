#include "RunsPage.h"

#include "RunsTableModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace prunescope {

RunsPage::RunsPage(const QString& databasePath, QWidget* parent) : QWidget(parent), m_databasePath(databasePath)
{
    m_model = new RunsTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_view = new QTableView;
    m_view->setObjectName("runsView");
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunsTableModel::Id, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setToolTip(tr("Double-click a run to show its curves and layer sparsity; select several to "
                          "compare them (Compare tab); Del deletes a run"));
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.flags() & Qt::ItemIsEditable)
            return;
        if (const StoredRun* run = runAtProxyRow(index))
            Q_EMIT showRunRequested(run->id);
    });
    auto* deleteAction = new QAction(tr("Delete"), m_view);
    deleteAction->setToolTip(tr("Move the selected runs to the trash (Del); the Trash view restores them"));
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteAction, &QAction::triggered, this, &RunsPage::deleteSelectedRun);
    m_view->addAction(deleteAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    // Tags and notes are edited in place, so a double-click there edits; elsewhere it opens.
    connect(m_model, &RunsTableModel::runEdited, this, &RunsPage::saveRunEdit);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    auto* openAction = new QAction(tr("Show details"), m_view);
    openAction->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    openAction->setShortcutContext(Qt::WidgetShortcut);
    connect(openAction, &QAction::triggered, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (const StoredRun* run = current.isValid() ? runAtProxyRow(current) : nullptr)
            Q_EMIT showRunRequested(run->id);
    });
    auto* rerunAction = new QAction(tr("Re-run with the same config"), m_view);
    rerunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    rerunAction->setShortcutContext(Qt::WidgetShortcut);
    connect(rerunAction, &QAction::triggered, this, &RunsPage::rerunSelectedRun);
    m_view->insertActions(deleteAction, {openAction, rerunAction});

    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    auto* filter = new QLineEdit;
    filter->setObjectName("runsFilter");
    filter->setPlaceholderText(tr("Filter runs: model, method, tag, note, status… (Ctrl+F)"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    auto* focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    focusFilter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(focusFilter, &QAction::triggered, filter, [filter] {
        filter->setFocus();
        filter->selectAll();
    });
    addAction(focusFilter);
    controls->addWidget(filter, 1);
    for (QAction* action : {openAction, rerunAction, deleteAction}) {
        auto* button = new QPushButton(action->text());
        button->setToolTip(action->toolTip());
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        controls->addWidget(button);
        m_runButtons.push_back(button);
    }
    m_restoreButton = new QPushButton(tr("Restore"));
    m_restoreButton->setObjectName("restoreRuns");
    m_restoreButton->setToolTip(tr("Put the selected runs back in the list"));
    connect(m_restoreButton, &QPushButton::clicked, this, &RunsPage::restoreSelectedRuns);
    m_emptyTrashButton = new QPushButton(tr("Empty trash…"));
    m_emptyTrashButton->setObjectName("emptyTrash");
    m_emptyTrashButton->setToolTip(tr("Delete the runs in the trash for good, with their files"));
    connect(m_emptyTrashButton, &QPushButton::clicked, this, [this] { emptyTrash(); });
    m_trashButton = new QPushButton;
    m_trashButton->setObjectName("showTrash");
    m_trashButton->setText(tr("Trash"));
    m_trashButton->setCheckable(true);
    m_trashButton->setToolTip(tr("Show the deleted runs, which can be restored until the trash is emptied"));
    connect(m_trashButton, &QPushButton::toggled, this, &RunsPage::setTrashShown);
    controls->addWidget(m_restoreButton);
    controls->addWidget(m_emptyTrashButton);
    controls->addWidget(m_trashButton);
    layout->addLayout(controls);
    layout->addWidget(m_view, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::selectionChanged);
    showActions();
}

void RunsPage::showActions()
{
    for (QPushButton* button : m_runButtons)
        button->setVisible(!m_trashShown);
    m_restoreButton->setVisible(m_trashShown);
    m_emptyTrashButton->setVisible(m_trashShown);
    for (QAction* action : m_view->actions())
        action->setEnabled(!m_trashShown);
}

void RunsPage::setTrashShown(bool shown)
{
    if (shown == m_trashShown)
        return;
    m_trashShown = shown;
    const QSignalBlocker block(m_trashButton);
    m_trashButton->setChecked(shown);
    showActions();
    refresh();
}

RunsPage::~RunsPage() = default;

void RunsPage::setDatabasePath(const QString& databasePath)
{
    m_databasePath = databasePath;
    m_store.reset();
    m_activeRunId = 0;
    m_view->clearSelection();
    if (m_trashShown)
        setTrashShown(false);  // refreshes
    else
        refresh();
}

void RunsPage::refresh()
{
    try {
        if (!m_store)
            m_store = std::make_shared<RunStore>(m_databasePath);
        m_listed = m_store->listRuns();
        const std::vector<StoredRun> trashed = m_store->trashedRuns();
        m_trashButton->setText(tr("Trash (%1)").arg(trashed.size()));
        m_emptyTrashButton->setEnabled(!trashed.empty());
        m_model->setRuns(m_trashShown ? trashed : m_listed);
        m_view->resizeColumnsToContents();
        Q_EMIT runsChanged();
        // Long names must not push the numbers out of view; the tooltip has the whole config.
        m_view->setColumnWidth(RunsTableModel::Name, std::min(m_view->columnWidth(RunsTableModel::Name), 190));
    } catch (const std::exception& e) {
        m_store.reset();
        m_listed.clear();
        m_model->setRuns({});
        Q_EMIT errorOccurred(tr("Cannot read the run database"), QString::fromStdString(e.what()));
    }
}

const StoredRun* RunsPage::runAtProxyRow(const QModelIndex& index) const
{
    return m_model->runAt(m_proxy->mapToSource(index).row());
}

const StoredRun* RunsPage::firstSelectedRun() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : runAtProxyRow(rows.first());
}

std::vector<StoredRun> RunsPage::selectedRuns() const
{
    std::vector<StoredRun> runs;
    if (m_trashShown)
        return runs;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
        if (const StoredRun* run = runAtProxyRow(index))
            runs.push_back(*run);
    return runs;
}

std::vector<StoredRun> RunsPage::allRuns() const
{
    return m_listed;
}

bool RunsPage::selectRun(qint64 runId)
{
    if (m_trashShown)
        setTrashShown(false);
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (const StoredRun* run = runAtProxyRow(index); run && run->id == runId) {
            m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_view->setCurrentIndex(index);
            m_view->scrollTo(index);
            return true;
        }
    }
    return false;
}

std::vector<int64_t> RunsPage::shownFinishedRunIds() const
{
    std::vector<int64_t> ids;
    if (m_trashShown) {  // the table shows the trash: the report is about the runs
        for (auto run = m_listed.rbegin(); run != m_listed.rend(); ++run)
            if (run->status == RunStatus::Finished)
                ids.push_back(run->id);
        return ids;
    }
    for (int row = m_proxy->rowCount() - 1; row >= 0; --row)
        if (const StoredRun* run = runAtProxyRow(m_proxy->index(row, 0)); run && run->status == RunStatus::Finished)
            ids.push_back(run->id);
    return ids;
}

void RunsPage::saveRunEdit(qint64 runId, int column, const QString& text)
{
    if (!m_store)
        return;
    try {
        if (column == RunsTableModel::Tags)
            m_store->setTags(runId, text.toStdString());
        else
            m_store->setNotes(runId, text.toStdString());
        Q_EMIT statusMessage(
            tr("Run %1: %2 saved").arg(runId).arg(column == RunsTableModel::Tags ? tr("tags") : tr("notes")), 4000);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot save the edit of run %1").arg(runId), QString::fromStdString(e.what()));
        refresh();  // show what the database really holds
    }
}

void RunsPage::rerunSelectedRun()
{
    if (const StoredRun* run = firstSelectedRun())
        Q_EMIT rerunRequested(*run);
}

void RunsPage::deleteSelectedRun()
{
    if (m_trashShown || !m_store)
        return;
    // A delete is undone from the trash, so it does not ask first.
    std::vector<qint64> moved;
    for (const StoredRun& run : selectedRuns()) {
        if (run.id == m_activeRunId)
            continue;  // its worker still writes it
        try {
            m_store->trashRun(run.id);
            moved.push_back(run.id);
        } catch (const std::exception& e) {
            Q_EMIT errorOccurred(tr("Cannot delete run %1").arg(run.id), QString::fromStdString(e.what()));
        }
    }
    refresh();
    if (!moved.empty())
        Q_EMIT statusMessage(moved.size() == 1
                                 ? tr("Run %1 moved to the trash: Trash ▸ Restore brings it back").arg(moved.front())
                                 : tr("%1 runs moved to the trash: Trash ▸ Restore brings them back").arg(moved.size()),
                             8000);
}

void RunsPage::restoreSelectedRuns()
{
    if (!m_trashShown || !m_store)
        return;
    std::vector<qint64> ids;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
        if (const StoredRun* run = runAtProxyRow(index))
            ids.push_back(run->id);
    for (const qint64 id : ids) {
        try {
            m_store->restoreRun(id);
        } catch (const std::exception& e) {
            Q_EMIT errorOccurred(tr("Cannot restore run %1").arg(id), QString::fromStdString(e.what()));
        }
    }
    refresh();
    if (!ids.empty())
        Q_EMIT statusMessage(tr("Restored %n run(s)", nullptr, int(ids.size())), 6000);
}

void RunsPage::emptyTrash(bool confirm)
{
    if (!m_store)
        return;
    if (confirm) {
        const auto answer = QMessageBox::question(
            this, tr("Empty trash"),
            tr("Delete the runs in the trash for good, with their curves, layer statistics, masks and saved "
               "networks? This cannot be undone."));
        if (answer != QMessageBox::Yes)
            return;
    }
    try {
        const int deleted = m_store->emptyTrash();
        Q_EMIT statusMessage(tr("%n run(s) deleted for good", nullptr, deleted), 6000);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot empty the trash"), QString::fromStdString(e.what()));
    }
    refresh();
}

}  // namespace prunescope
