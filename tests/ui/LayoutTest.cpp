// The window on a laptop screen: at 1366 × 768 (and, in the ctest entry Ui.LayoutAt200Percent,
// the same tests with QT_SCALE_FACTOR=2) no panel needs sideways scrolling, what matters lies
// inside the window, the window never widens itself, the wheel changes only a focused field, and
// the layout, tab and selected run come back after a restart.
#include "FakeEngine.h"
#include "LayoutGuards.h"
#include "MainWindow.h"
#include "MaskInspector.h"
#include "RunsPage.h"
#include "SetupPanel.h"
#include "WindowTest.h"

#include <QAbstractScrollArea>
#include <QScopeGuard>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QWheelEvent>

#include <gtest/gtest.h>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

constexpr QSize kLaptop(1366, 768);

class LayoutTest : public WindowTest {
protected:
    ExperimentExecutor engine() override { return m_engine.executor(); }

    void SetUp() override
    {
        WindowTest::SetUp();
        m_window->resize(kLaptop);
        settle();
    }

    // Lets pending layouts and resizes happen, as the event loop does between two user actions.
    static void settle()
    {
        for (int i = 0; i < 3; ++i) {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QCoreApplication::processEvents();
        }
    }

    // Every scroll area on the current tab and in the setup pane that is shown and would scroll
    // sideways. Data tables are the exception the user expects (more columns than fit scroll,
    // as in a spreadsheet), so they are checked elsewhere by their first columns only.
    QStringList sidewaysScrollers() const
    {
        QStringList found;
        for (QAbstractScrollArea* area : m_window->findChildren<QAbstractScrollArea*>()) {
            if (!area->isVisible() || area->inherits("QTableView"))
                continue;
            const QScrollBar* bar = area->horizontalScrollBar();
            if (bar->isVisible() && bar->maximum() > 0)
                found << QStringLiteral("%1 (%2, scrolls %3 px)")
                             .arg(area->objectName(), area->metaObject()->className())
                             .arg(bar->maximum());
        }
        return found;
    }

    // The widget lies wholly inside the window (and, in a scroll area, inside its viewport's width).
    void expectInsideWindow(const QWidget* widget) const
    {
        ASSERT_NE(widget, nullptr);
        ASSERT_TRUE(widget->isVisible()) << widget->objectName().toStdString();
        const QRect inWindow(widget->mapTo(m_window.get(), QPoint(0, 0)), widget->size());
        EXPECT_TRUE(m_window->rect().contains(inWindow))
            << widget->objectName().toStdString() << " at " << inWindow.x() << "," << inWindow.y() << " "
            << inWindow.width() << "×" << inWindow.height() << " outside the window " << m_window->width() << "×"
            << m_window->height();
        for (QWidget* parent = widget->parentWidget(); parent; parent = parent->parentWidget()) {
            auto* area = qobject_cast<QAbstractScrollArea*>(parent);
            if (!area || !area->viewport()->isAncestorOf(widget))
                continue;
            const int left = widget->mapTo(area->viewport(), QPoint(0, 0)).x();
            EXPECT_GE(left, 0) << widget->objectName().toStdString() << " starts left of its pane";
            EXPECT_LE(left + widget->width(), area->viewport()->width())
                << widget->objectName().toStdString() << " ends right of its pane";
        }
    }

    // Fields squeezed below what they need to show their content are cut off.
    void expectNoFieldCutOff(QWidget* root) const
    {
        for (QWidget* field : root->findChildren<QWidget*>()) {
            const bool isField = qobject_cast<QAbstractSpinBox*>(field) || qobject_cast<QComboBox*>(field)
                || qobject_cast<QCheckBox*>(field) || qobject_cast<QPushButton*>(field);
            if (!isField || !field->isVisible())
                continue;
            EXPECT_GE(field->width(), field->minimumSizeHint().width())
                << field->objectName().toStdString() << " (" << field->metaObject()->className() << ") is "
                << field->width() << " px wide but needs " << field->minimumSizeHint().width();
        }
    }

    QTabWidget* tabs() const { return child<QTabWidget>("tabs"); }

    void showTab(const char* objectName) const
    {
        QTabWidget* tabWidget = tabs();
        for (int i = 0; i < tabWidget->count(); ++i)
            if (tabWidget->widget(i)->objectName() == objectName)
                tabWidget->setCurrentIndex(i);
        ASSERT_EQ(tabWidget->currentWidget()->objectName(), objectName);
        settle();
    }

    // A finished fake run with masks, its name long enough to elide anywhere.
    qint64 runWithALongName()
    {
        m_window->setConfig(tinyConfig());
        QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
        QSignalSpy shown(m_window.get(), &MainWindow::storedRunShown);
        EXPECT_TRUE(m_window->startRun());
        EXPECT_TRUE(ended.wait(kRunTimeoutMs));
        if (shown.isEmpty()) {
            EXPECT_TRUE(shown.wait(kRunTimeoutMs));  // the finished run, read in the background
        }
        const qint64 runId = ended.at(0).at(0).toLongLong();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "rename");
            db.setDatabaseName(m_dir.filePath("runs.sqlite"));
            EXPECT_TRUE(db.open());
            QSqlQuery query(db);
            EXPECT_TRUE(query.exec(QStringLiteral("UPDATE runs SET name='%1', notes='%2' WHERE id=%3")
                                       .arg(QString(240, 'N'), QString(300, 'n'))
                                       .arg(runId)));
        }
        QSqlDatabase::removeDatabase("rename");
        m_window->refreshRuns();
        return runId;
    }

    FakeEngine m_engine;
};

QWheelEvent wheelUp(QWidget* target)
{
    const QPointF centre = QRectF(target->rect()).center();
    return QWheelEvent(centre, target->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
}

}  // namespace

TEST_F(LayoutTest, TheWindowFitsALaptopScreenWithNoPanelScrollingSideways)
{
    EXPECT_LE(m_window->minimumSizeHint().width(), kLaptop.width());
    EXPECT_LE(m_window->minimumSizeHint().height(), kLaptop.height());
    ASSERT_EQ(m_window->size(), kLaptop);

    // The setup pane: every method of the taxonomy tree, each with its parameter form.
    auto* tree = child<QTreeWidget>("methodTree");
    auto* setup = m_window->findChild<SetupPanel*>();
    ASSERT_NE(setup, nullptr);
    int methods = 0;
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).isNull())
            continue;
        ++methods;
        tree->setCurrentItem(*it);
        settle();
        EXPECT_TRUE(sidewaysScrollers().isEmpty())
            << (*it)->text(0).toStdString() << ": " << sidewaysScrollers().join("; ").toStdString();
        expectNoFieldCutOff(setup->widget());
    }
    EXPECT_GT(methods, 20);
    // The tree shows a good part of the catalogue, not a handful of rows.
    EXPECT_GE(tree->viewport()->height() / tree->sizeHintForRow(0), 12);

    // Every tab.
    for (int i = 0; i < tabs()->count(); ++i) {
        tabs()->setCurrentIndex(i);
        settle();
        EXPECT_TRUE(sidewaysScrollers().isEmpty())
            << tabs()->widget(i)->objectName().toStdString() << ": " << sidewaysScrollers().join("; ").toStdString();
    }

    for (const char* name : {"runButton", "cancelButton", "progressBar", "tabs", "modelCombo", "dataDirectory",
                             "methodTree", "presetCombo"})
        expectInsideWindow(child<QWidget>(name));
    // The plots get the height: the training chart is most of the window's.
    showTab("trainingPage");
    EXPECT_GE(child<QWidget>("trainingChart")->height(), kLaptop.height() / 2);
    showTab("comparePage");
    EXPECT_GE(child<QWidget>("compareChart")->height(), kLaptop.height() / 3);
    expectInsideWindow(child<QWidget>("compareAxis"));
    showTab("maskInspector");
    expectInsideWindow(child<QWidget>("maskCompareRun"));
    expectInsideWindow(child<QWidget>("maskHeatmap"));
}

TEST_F(LayoutTest, FocusingAFieldNeverScrollsTheSetupPaneSideways)
{
    auto* setup = m_window->findChild<SetupPanel*>();
    ASSERT_NE(setup, nullptr);
    m_window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(m_window.get()));
    for (const char* name : {"param_sparsity", "seed", "batchSize", "dataDirectory", "bnRecalibration"}) {
        auto* field = child<QWidget>(name);
        field->setFocus(Qt::TabFocusReason);
        setup->ensureWidgetVisible(field);  // as a Tab into the field does
        settle();
        EXPECT_EQ(setup->horizontalScrollBar()->value(), 0) << name;
        expectInsideWindow(field);
    }
}

TEST_F(LayoutTest, TheWindowNeverWidensItself)
{
    const qint64 runId = runWithALongName();
    EXPECT_EQ(m_window->width(), kLaptop.width()) << "after a run";

    // The Masks tab, with a run's masks, its long name and the runs to compare with.
    ASSERT_NO_FATAL_FAILURE(showStoredRun(runId));
    showTab("maskInspector");
    EXPECT_EQ(m_window->width(), kLaptop.width()) << "after opening Masks";
    EXPECT_TRUE(sidewaysScrollers().isEmpty()) << sidewaysScrollers().join("; ").toStdString();

    // The themes (the dark one brings a different style, with other metrics).
    m_window->setTheme(ThemeChoice::Dark);
    settle();
    EXPECT_EQ(m_window->width(), kLaptop.width()) << "after the dark theme";
    m_window->setTheme(ThemeChoice::Light);
    settle();
    EXPECT_EQ(m_window->width(), kLaptop.width()) << "after the light theme";

    // A failed run with a long message in the status bar: elided there, whole in the tooltip.
    const std::string longMessage = "the data ended early: " + std::string(400, 'x');
    m_engine.script = [&](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.failure = longMessage;
        return run;
    };
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    ASSERT_EQ(ended.at(0).at(1).toString(), "failed");
    settle();
    EXPECT_TRUE(m_window->statusBar()->currentMessage().contains(QString::fromStdString(longMessage)));
    EXPECT_TRUE(m_window->statusBar()->toolTip().contains(QString::fromStdString(longMessage)));
    EXPECT_EQ(m_window->width(), kLaptop.width()) << "after a long status message";
    for (int i = 0; i < tabs()->count(); ++i) {
        tabs()->setCurrentIndex(i);
        settle();
        EXPECT_EQ(m_window->width(), kLaptop.width()) << tabs()->widget(i)->objectName().toStdString();
    }
}

TEST_F(LayoutTest, AWheelChangesOnlyTheFieldBeingEdited)
{
    m_window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(m_window.get()));
    auto* epochs = child<QSpinBox>("denseEpochs");
    auto* model = child<QComboBox>("modelCombo");
    auto* sparsity = child<QDoubleSpinBox>("param_sparsity");
    child<QLineEdit>("dataDirectory")->setFocus();
    ASSERT_FALSE(epochs->hasFocus());
    EXPECT_EQ(epochs->focusPolicy(), Qt::StrongFocus) << "a wheel does not take the focus either";
    EXPECT_EQ(model->focusPolicy(), Qt::StrongFocus);

    const int epochsBefore = epochs->value();
    const int modelBefore = model->currentIndex();
    const double sparsityBefore = sparsity->value();
    for (QWidget* target : std::initializer_list<QWidget*>{epochs, model, sparsity}) {
        QWheelEvent wheel = wheelUp(target);
        QApplication::sendEvent(target, &wheel);
    }
    EXPECT_EQ(epochs->value(), epochsBefore);
    EXPECT_EQ(model->currentIndex(), modelBefore);
    EXPECT_EQ(sparsity->value(), sparsityBefore);
    EXPECT_EQ(m_window->currentConfig().denseTraining.epochs, epochsBefore);

    // The field being edited takes it (so the check above could have failed).
    epochs->setFocus();
    ASSERT_TRUE(epochs->hasFocus());
    QWheelEvent wheel = wheelUp(epochs);
    QApplication::sendEvent(epochs, &wheel);
    EXPECT_EQ(epochs->value(), epochsBefore + 1);
}

TEST_F(LayoutTest, LongTextElidesWithTheWholeTextInTheTooltip)
{
    ElidedLabel label;
    label.show();  // resizing a hidden widget sends no resize event
    label.setFullText(QStringLiteral("<b>Run 12</b> · ") + QString(200, 'w'));
    label.resize(120, label.sizeHint().height());
    EXPECT_EQ(label.minimumSizeHint().width(), 0);
    EXPECT_TRUE(label.isElided());
    EXPECT_TRUE(label.text().endsWith(QChar(0x2026)));
    EXPECT_TRUE(label.toolTip().startsWith("Run 12 · www"));
    label.resize(label.fontMetrics().horizontalAdvance(label.fullText()) + 20, label.height());
    EXPECT_FALSE(label.isElided());
    EXPECT_TRUE(label.toolTip().isEmpty());
}

TEST_F(LayoutTest, TheLayoutTabAndSelectedRunComeBackAfterARestart)
{
    // Settings of this test only: a temporary folder instead of the user's.
    QTemporaryDir settingsDir;
    ASSERT_TRUE(settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    const auto restorePath = qScopeGuard([] {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation));
    });

    const QString database = m_dir.filePath("restart.sqlite");
    std::vector<qint64> ids;
    {
        RunStore store(database);
        for (const char* method : {"random", "global_magnitude", "snip"}) {
            ExperimentConfig config = tinyConfig();
            config.method = method;
            config.name = method;
            const qint64 id = store.beginRun(config, "test");
            store.finishRun(id, RunSummary{});
            ids.push_back(id);
        }
    }
    QList<int> splitterSizes;
    {
        MainWindow first(database, /*persistSettings=*/true, m_engine.executor());
        first.show();
        first.resize(1200, 700);
        settle();
        auto* splitter = first.findChild<QSplitter*>("mainSplitter");
        ASSERT_NE(splitter, nullptr);
        splitter->setSizes({520, 680});
        settle();
        splitterSizes = splitter->sizes();
        auto* runs = first.findChild<RunsPage*>();
        ASSERT_TRUE(runs->selectRun(ids[1]));
        auto* tabWidget = first.findChild<QTabWidget*>("tabs");
        tabWidget->setCurrentWidget(first.findChild<QWidget*>("comparePage"));
        first.close();
    }
    MainWindow second(database, /*persistSettings=*/true, m_engine.executor());
    QSignalSpy shown(&second, &MainWindow::storedRunShown);
    second.show();
    settle();
    EXPECT_EQ(second.size(), QSize(1200, 700));
    EXPECT_EQ(second.findChild<QSplitter*>("mainSplitter")->sizes(), splitterSizes);
    EXPECT_EQ(second.findChild<QTabWidget*>("tabs")->currentWidget()->objectName(), "comparePage");
    const std::vector<StoredRun> selected = second.findChild<RunsPage*>()->selectedRuns();
    ASSERT_EQ(selected.size(), 1u);
    EXPECT_EQ(selected[0].id, ids[1]);
    // The selected run is shown too, without taking the restored tab away.
    if (shown.isEmpty()) {
        ASSERT_TRUE(shown.wait(10000));
    }
    EXPECT_EQ(shown.at(0).at(0).toLongLong(), ids[1]);
    EXPECT_EQ(second.findChild<MaskInspector*>("maskInspector")->runId(), ids[1]);
    EXPECT_EQ(second.findChild<QTabWidget*>("tabs")->currentWidget()->objectName(), "comparePage");
}
