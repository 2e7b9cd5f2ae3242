// Help ▸ Contents in the window: F1 opens the guide, and its shortcut table is the window's own.
#include "FakeEngine.h"
#include "UserGuide.h"
#include "WindowTest.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QTest>
#include <QTextBrowser>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

class UserGuideWindowTest : public WindowTest {
protected:
    ExperimentExecutor engine() override { return m_engine.executor(); }

    FakeEngine m_engine;
};

}  // namespace

TEST_F(UserGuideWindowTest, F1OpensTheGuideWithTheWindowsOwnShortcuts)
{
    ASSERT_EQ(m_window->userGuide(), nullptr);
    QApplication::setActiveWindow(m_window.get());  // offscreen windows are not activated by showing them
    QTest::keyClick(m_window.get(), Qt::Key_F1);
    UserGuideDialog* guide = m_window->userGuide();
    ASSERT_NE(guide, nullptr);
    EXPECT_TRUE(guide->isVisible());

    const QString text = guide->findChild<QTextBrowser*>("userGuideBrowser")->toPlainText();
    const QString runKeys = QKeySequence(Qt::CTRL | Qt::Key_R).toString(QKeySequence::NativeText);
    EXPECT_TRUE(text.contains(runKeys + "\tRun experiment") || text.contains(runKeys + "\nRun experiment"))
        << "the shortcut table should list Run experiment with " << runKeys.toStdString();
    EXPECT_TRUE(text.contains("Presentation mode"));
    EXPECT_TRUE(text.contains("Global magnitude pruning"));
}

TEST_F(UserGuideWindowTest, HelpContentsInTheMenuOpensTheGuideWithTheFilesSection)
{
    QAction* contents = nullptr;
    for (QAction* action : m_window->menuBar()->findChildren<QAction*>())
        if (action->text().remove('&') == "Contents")
            contents = action;
    ASSERT_NE(contents, nullptr);
    contents->trigger();
    ASSERT_NE(m_window->userGuide(), nullptr);
    EXPECT_TRUE(m_window->userGuide()->isVisible());
    const QString text = m_window->userGuide()->findChild<QTextBrowser*>("userGuideBrowser")->toPlainText();
    for (const char* part : {"The taxonomy", "The metrics", "The methods", "Keyboard shortcuts",
                             "Files, data and installation", "Open run database"})
        EXPECT_TRUE(text.contains(part)) << part;
}
