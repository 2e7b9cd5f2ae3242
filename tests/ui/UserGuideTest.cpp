// Help ▸ Contents: the guide holds the hand-written sections, a card for every method, a glossary
// entry for every taxonomy tag the methods use, and the shortcuts the window really has.
#include "UserGuide.h"

#include "core/MethodInfo.h"

#include <QAction>
#include <QScrollBar>
#include <QTextBrowser>
#include <QWidget>

#include <gtest/gtest.h>

#include <set>

using namespace prunescope;

TEST(UserGuide, HoldsTheHandWrittenSectionsAndACardForEveryMethod)
{
    const QString page = userGuideHtml({});
    for (const char* anchor : {"start", "taxonomy", "metrics", "reproduce", "files", "methods", "shortcuts"})
        EXPECT_TRUE(page.contains(QStringLiteral("id=\"%1\"").arg(anchor))) << anchor;
    EXPECT_TRUE(page.contains("Latency and measured speed-up"));
    EXPECT_TRUE(page.contains("sudo apt install dataset-fashion-mnist"));
    EXPECT_TRUE(page.contains("File ▸ Open run database…"));
    for (const MethodInfo& method : methodCatalogue()) {
        EXPECT_TRUE(page.contains(QStringLiteral("id=\"method-%1\"").arg(QString::fromStdString(method.id))))
            << method.id;
        EXPECT_TRUE(page.contains(QString::fromStdString(method.card.title).toHtmlEscaped())) << method.id;
        for (const ParamSpec& spec : method.params)
            EXPECT_TRUE(page.contains(QStringLiteral("<code>%1</code>").arg(QString::fromStdString(spec.name))))
                << method.id << "." << spec.name;
    }
}

// A tag added to the catalogue without a word in the glossary fails here.
TEST(UserGuide, TheGlossaryDefinesEveryTagTheMethodsUse)
{
    const QString page = userGuideHtml({});
    std::set<std::string> tags;
    for (const MethodInfo& method : methodCatalogue()) {
        tags.insert(displayName(method.taxonomy.speedup));
        tags.insert(displayName(method.taxonomy.when));
        tags.insert(displayName(method.taxonomy.criterion));
        if (method.taxonomy.learnToPrune != LearnToPrune::None)
            tags.insert(displayName(method.taxonomy.learnToPrune));
        if (method.taxonomy.approach != Approach::None)
            tags.insert(displayName(method.taxonomy.approach));
    }
    ASSERT_GE(tags.size(), 10u);
    for (const std::string& tag : tags)
        EXPECT_TRUE(page.contains(QStringLiteral("<dt><b>%1</b></dt>").arg(QString::fromStdString(tag))))
            << "no glossary entry for \"" << tag << "\"";
}

TEST(UserGuide, ListsEveryActionWithAShortcutOnceWithoutMnemonics)
{
    QWidget window;
    auto* run = new QAction("&Run experiment", &window);
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    auto* present = new QAction("&Presentation mode", &window);
    present->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::Key_PageDown)});
    new QAction("No shortcut", &window);
    auto* exportChart = new QAction("&Export chart…", &window);
    exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));

    const std::vector<ShortcutEntry> entries = shortcutsOf(window);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].action, "Export chart");
    EXPECT_EQ(entries[0].keys, QKeySequence(Qt::CTRL | Qt::Key_E).toString(QKeySequence::NativeText));
    EXPECT_EQ(entries[1].action, "Presentation mode");
    EXPECT_EQ(entries[1].keys, "F5, PgDown");
    EXPECT_EQ(entries[2].action, "Run experiment");

    const QString page = userGuideHtml(entries);
    EXPECT_TRUE(page.contains("<td><b>F5, PgDown</b></td><td>Presentation mode</td>"));
}

TEST(UserGuide, TheDialogFindsTextAndJumpsToASection)
{
    UserGuideDialog dialog(userGuideHtml({}));
    dialog.resize(600, 400);
    dialog.show();
    EXPECT_TRUE(dialog.findNext("lottery"));
    EXPECT_TRUE(dialog.findNext("lottery"));  // the next one, or wrapped round to the first
    EXPECT_FALSE(dialog.findNext("no such words in the guide"));

    auto* browser = dialog.findChild<QTextBrowser*>("userGuideBrowser");
    ASSERT_NE(browser, nullptr);
    browser->verticalScrollBar()->setValue(0);
    dialog.showSection("shortcuts");
    EXPECT_GT(browser->verticalScrollBar()->value(), 0);
}
