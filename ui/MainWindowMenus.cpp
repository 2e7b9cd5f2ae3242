// The window's menus (File, Run, Presets, View, Help) and the exports they start: the actions
// and their shortcuts in one place, apart from the window's layout and run flow (MainWindow.cpp).
#include "MainWindow.h"

#include "AboutDialog.h"
#include "ChartExport.h"
#include "HtmlReport.h"
#include "LiveRunPanel.h"
#include "PresetMenu.h"
#include "RunStore.h"
#include "RunsPage.h"
#include "SetupPanel.h"
#include "TableExport.h"
#include "Theme.h"
#include "UserGuide.h"
#include "experiment/Runner.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QChartView>
#include <QDate>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>

namespace prunescope {
namespace {

// What a File → Export action works on: the tab itself when it is such a view, else the first one in it.
template <typename View>
View* viewOnTab(QWidget* page)
{
    if (auto* view = qobject_cast<View*>(page))
        return view;
    return page ? page->findChild<View*>() : nullptr;
}

}  // namespace

void MainWindow::buildMenus()
{
    buildFileMenu();

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("&Run experiment"), this, &MainWindow::startRun);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_cancelAction = run->addAction(tr("&Cancel"), this, &MainWindow::cancelRun);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setEnabled(false);
    m_sweepAction = run->addAction(tr("S&weep…"), this, &MainWindow::openSweepDialog);
    m_sweepAction->setToolTip(tr("Methods × sparsities × seeds on the current setup, one run after the other"));
    run->addSeparator();
    run->addAction(tr("Restore &default experiment"), this, [this] { setConfig(defaultExperiment()); });

    // The study plan's weeks, one submenu each: a presenter opens their week in one click.
    auto* presets = new PresetMenu(this);
    connect(presets, &PresetMenu::presetChosen, m_setup, &SetupPanel::applyPreset);
    menuBar()->addMenu(presets);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction* action
            = view->addAction(m_tabs->tabText(i).remove('&'), this, [this, i] { m_tabs->setCurrentIndex(i); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    // Not QKeySequence::Refresh: that is F5 on Linux, which presents (as in slide software).
    view->addAction(tr("Refresh runs"), this, &MainWindow::refreshRuns)
        ->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    view->addSeparator();
    QAction* present = view->addAction(tr("&Presentation mode"), this, &MainWindow::togglePresentation);
    present->setShortcut(QKeySequence(Qt::Key_F5));
    present->setToolTip(tr("The current tab's chart alone, full screen, in large type (F5 or Esc to leave)"));
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    for (auto [choice, label] :
         {std::pair{ThemeChoice::System, tr("Follow the &system")}, std::pair{ThemeChoice::Light, tr("&Light")},
          std::pair{ThemeChoice::Dark, tr("&Dark")}}) {
        QAction* action = theme->addAction(label, this, [this, choice = choice] { setTheme(choice); });
        action->setCheckable(true);
        action->setData(themeName(choice));
        action->setChecked(choice == m_theme);
        themes->addAction(action);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* contents = help->addAction(tr("&Contents"), this, &MainWindow::showUserGuide);
    contents->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About PruneScope"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    // Made anew each time: the run database it names may have changed.
    delete m_about;
    m_about = new AboutDialog(m_databasePath, this);
    m_about->show();
    m_about->raise();
    m_about->activateWindow();
}

void MainWindow::showUserGuide()
{
    // Built when first asked for, so its shortcut table lists every action the window has by then.
    if (!m_userGuide)
        m_userGuide = new UserGuideDialog(userGuideHtml(shortcutsOf(*this)), this);
    m_userGuide->show();
    m_userGuide->raise();
    m_userGuide->activateWindow();
}

void MainWindow::buildFileMenu()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open run database…"), this, [this] {
        const QString start = QFileInfo(m_databasePath).absolutePath();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open run database"), start,
            tr("PruneScope run databases (*.prunescope.sqlite *.sqlite *.db);;All files (*)"));
        if (!path.isEmpty())
            openDatabase(path);
    });
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Show the runs of another database; new runs are recorded there"));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName("recentDatabasesMenu");
    rebuildRecentMenu();
    file->addSeparator();
    QAction* exportChart = file->addAction(tr("&Export chart…"), this, [this] {
        auto* view = viewOnTab<QChartView>(m_tabs->currentWidget());
        if (!view) {
            statusBar()->showMessage(tr("This tab has no chart: choose Training, Layer sparsity or Compare"), 5000);
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), exportDirectory() + "/chart.png",
                                                          tr("PNG image (*.png);;SVG drawing (*.svg)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveChart(view, path, &error))
            showError(tr("Cannot export the chart"), error);
        else
            exported(path);
    });
    exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* exportTable = file->addAction(tr("Export &table as CSV…"), this, [this] {
        auto* table = viewOnTab<QTableView>(m_tabs->currentWidget());
        if (!table) {
            statusBar()->showMessage(tr("This tab has no table: choose Runs or Details"), 5000);
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Export table"), exportDirectory() + "/table.csv",
                                                          tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveTableCsv(*table, path, &error))
            showError(tr("Cannot export the table"), error);
        else
            exported(path);
    });
    exportTable->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    QAction* report = file->addAction(tr("Export &report…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export report"),
                                                          exportDirectory() + "/prunescope-report-"
                                                              + QDate::currentDate().toString(Qt::ISODate) + ".html",
                                                          tr("HTML report (*.html)"));
        if (!path.isEmpty())
            exportReport(path);
    });
    report->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    report->setToolTip(tr("The selected runs (or all finished runs shown) as one self-contained HTML file"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

QString MainWindow::exportDirectory() const
{
    const QString saved = QSettings().value("export/directory").toString();
    return !saved.isEmpty() && QDir(saved).exists() ? saved : QDir::homePath();
}

void MainWindow::exported(const QString& path)
{
    if (m_persistSettings)
        QSettings().setValue("export/directory", QFileInfo(path).absolutePath());
    appendLog(tr("exported %1").arg(path));
    statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
}

bool MainWindow::exportReport(const QString& path)
{
    const std::shared_ptr<RunStore> store = m_runsPage->store();
    if (!store)
        return false;
    std::vector<int64_t> ids;
    for (const StoredRun& run : m_runsPage->selectedRuns())
        ids.push_back(run.id);
    if (ids.empty()) {  // nothing selected: every finished run the table shows, oldest first
        ids = m_runsPage->shownFinishedRunIds();
        appendLog(tr("no runs selected: the report has every finished run shown (%1)").arg(ids.size()));
    }
    std::sort(ids.begin(), ids.end());
    QString error;
    if (!writeHtmlReport(*store, ids, path, &error)) {
        showError(tr("Cannot export the report"), error);
        return false;
    }
    exported(path);
    return true;
}

}  // namespace prunescope
