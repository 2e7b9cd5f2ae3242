// Takes the README's screenshots in a real window (run it under Xvfb at the screen size wanted):
// the window fills the screen on a given run database, shows one run in Training, Layer sparsity
// and Masks, compares the others, and saves the X screen as PNG, tab by tab; with --present it
// does the same in presentation mode. docs/take-screenshots.sh makes the database and calls it.
#include "AboutDialog.h"
#include "ComparePage.h"
#include "DataGuidance.h"
#include "DatasetPicker.h"
#include "DownloadDialog.h"
#include "LocalHttpServer.h"
#include "MainWindow.h"
#include "Theme.h"
#include "UserGuide.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>
#include <QItemSelectionModel>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QTabWidget>
#include <QTableView>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace prunescope;

namespace {

// A tool, not a test: charts and the mask canvas draw on later events, so give them a moment.
void settle(int milliseconds = 700)
{
    QEventLoop loop;
    QTimer::singleShot(milliseconds, &loop, &QEventLoop::quit);
    loop.exec();
}

template <typename Signal, typename Object>
bool waitFor(Object* object, Signal signal, int timeoutMs = 60000)
{
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    QObject::connect(object, signal, &loop, [&loop] { loop.exit(0); });
    timeout.start(timeoutMs);
    return loop.exec() == 0;
}

bool saveScreen(const QString& path)
{
    const bool saved = QGuiApplication::primaryScreen()->grabWindow(0).save(path);
    std::printf("%s %s\n", saved ? "wrote" : "could not write", qPrintable(path));
    return saved;
}

// The setup's dataset picker on CIFAR-10 with its download under way: a local server (standing in
// for cs.toronto.edu) sends the first 40 % of a CIFAR-10-sized file and then holds the transfer.
bool saveDownloadInProgress(MainWindow& window, const QString& path)
{
    testsupport::LocalHttpServer server;
    const KnownDataset& cifar = *findKnownDataset("cifar10");
    const std::string name = downloadFileName(cifar.downloads[0].url);
    const size_t size = 170052171;  // the official archive's size
    server.stallAfter("/" + name, std::string(size, '\0'), size * 2 / 5);
    auto* picker = window.findChild<DatasetPicker*>("datasetPicker");
    auto* kinds = window.findChild<QComboBox*>("datasetKind");
    if (!picker || !kinds)
        return false;
    picker->setDownloadMirror(QString::fromStdString(server.baseUrl()));
    kinds->setCurrentIndex(kinds->findData(QStringLiteral("cifar10")));
    Q_EMIT kinds->activated(kinds->currentIndex());
    settle();
    DownloadDialog* dialog = picker->startDownload();
    if (!dialog)
        return false;
    dialog->open();
    auto* bar = dialog->findChild<QProgressBar*>("downloadProgress");
    for (int i = 0; i < 100 && bar->value() < 390; ++i)
        settle(100);
    settle(1500);  // the ETA line settles
    const bool saved = saveScreen(path);
    dialog->reject();  // cancel: nothing is installed
    waitFor(dialog, &DownloadDialog::downloadEnded);
    return saved;
}

// Help ▸ Contents (scrolled to the method cards) and Help ▸ About over the window, as a user
// opens them, each saved with the window behind it.
bool saveHelpPages(MainWindow& window, const QString& out, const QString& prefix)
{
    bool saved = true;
    window.showUserGuide();
    UserGuideDialog* guide = window.userGuide();
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    guide->resize(std::min(980, screen.width() - 120), std::min(680, screen.height() - 60));
    guide->move(screen.center() - guide->rect().center());
    settle();
    saved &= saveScreen(QDir(out).filePath(prefix + "-help-contents.png"));
    guide->showSection(QStringLiteral("method-global_magnitude"));
    settle();
    saved &= saveScreen(QDir(out).filePath(prefix + "-help-method-card.png"));
    guide->hide();
    window.showAbout();
    AboutDialog* about = window.aboutDialog();
    about->move(screen.center() - about->rect().center());
    settle();
    saved &= saveScreen(QDir(out).filePath(prefix + "-help-about.png"));
    about->hide();
    return saved;
}

// The desktop entry as an application menu lists it: its icon at 48 px, Name, GenericName and
// Comment, read from the .desktop file and drawn by Qt (there is no desktop shell under Xvfb).
bool saveMenuEntry(const QString& desktopFile, const QString& iconFile, const QString& path)
{
    QSettings entry(desktopFile, QSettings::IniFormat);
    entry.beginGroup("Desktop Entry");
    if (entry.value("Name").toString().isEmpty())
        return false;
    QWidget menu;
    menu.setObjectName("menu");
    menu.setStyleSheet("#menu { background: #2b2f36; } QLabel { color: #e8eaed; } #entry { background: #3d5a80; "
                       "border-radius: 6px; } #comment, #dim { color: #aeb4bd; }");
    auto* layout = new QVBoxLayout(&menu);
    auto* heading = new QLabel(QStringLiteral("Science"));
    heading->setObjectName("dim");
    layout->addWidget(heading);
    auto* row = new QWidget;
    row->setObjectName("entry");
    row->setAttribute(Qt::WA_StyledBackground);
    auto* rowLayout = new QHBoxLayout(row);
    auto* icon = new QLabel;
    icon->setPixmap(QIcon(iconFile).pixmap(48, 48));
    auto* text = new QLabel(QStringLiteral("<b style=\"font-size:12pt\">%1</b><br>%2")
                                .arg(entry.value("Name").toString().toHtmlEscaped(),
                                     entry.value("GenericName").toString().toHtmlEscaped()));
    rowLayout->addWidget(icon);
    rowLayout->addWidget(text, 1);
    layout->addWidget(row);
    auto* comment = new QLabel(entry.value("Comment").toString());
    comment->setObjectName("comment");
    layout->addWidget(comment);
    layout->addStretch(1);
    menu.resize(420, 150);
    menu.show();
    settle(300);
    const bool saved = menu.grab().save(path);
    std::printf("%s %s\n", saved ? "wrote" : "could not write", qPrintable(path));
    return saved;
}

int tabIndex(const QTabWidget& tabs, const QString& name)
{
    for (int i = 0; i < tabs.count(); ++i)
        if (tabs.tabText(i).remove('&') == name)
            return i;
    return -1;
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{"db", "Run database.", "path"},
         {"out", "Folder for the PNG files.", "dir"},
         {"prefix", "File name prefix (default: the theme's name).", "text"},
         {"theme", "light | dark", "name", "light"},
         {"show-run", "The run shown in Training, Layer sparsity and Masks.", "id"},
         {"present", "Presentation mode instead of the window."},
         {"report", "Also export the selected runs' HTML report to this file.", "file"},
         {"download", "Only the dataset picker with a download in progress (from a local server)."},
         {"tabs", "Only these tabs (comma-separated names, e.g. \"Training,Layer sparsity\").", "names"},
         {"help-pages", "Only Help > Contents and Help > About over the window."},
         {"first-start",
          "Only the window as it first starts without the dataset (run with "
          "PRUNESCOPE_SYSTEM_DATASETS and XDG_DATA_HOME pointing to empty folders)."},
         {"menu-entry", "Only the desktop entry FILE as an application menu lists it, with --icon.", "file"},
         {"icon", "The icon for --menu-entry.", "file"}});
    parser.process(app);
    const QString out = parser.value("out");
    if (parser.value("db").isEmpty() || out.isEmpty() || !QDir().mkpath(out)) {
        std::fprintf(stderr, "usage: screenshot_tour --db PATH --out DIR [--theme light|dark] [--present]\n");
        return 2;
    }
    const QString prefix = parser.isSet("prefix") ? parser.value("prefix") : parser.value("theme");
    if (parser.isSet("menu-entry"))
        return saveMenuEntry(parser.value("menu-entry"), parser.value("icon"),
                             QDir(out).filePath(prefix + "-menu-entry.png"))
            ? 0
            : 1;

    MainWindow window(parser.value("db"), /*persistSettings=*/false);
    window.setTheme(themeFromName(parser.value("theme")));
    window.setGeometry(QGuiApplication::primaryScreen()->geometry());
    window.show();
    settle();
    if (parser.isSet("download"))
        return saveDownloadInProgress(window, QDir(out).filePath(prefix + "-dataset-download.png")) ? 0 : 1;
    if (parser.isSet("help-pages"))
        return saveHelpPages(window, out, prefix) ? 0 : 1;
    if (parser.isSet("first-start")) {
        if (!window.dataGuidance()->isVisible())
            std::fprintf(stderr, "the data guidance is not shown: is the dataset installed after all?\n");
        return saveScreen(QDir(out).filePath(prefix + "-first-start.png")) ? 0 : 1;
    }

    // Compare every run; show one in the run tabs.
    auto* runsView = window.findChild<QTableView*>("runsView");
    if (runsView && runsView->model()->rowCount() > 0) {
        runsView->selectAll();
        // The run shown in the run tabs has its own recipe: comparing it with the others would
        // mix recipes in one series.
        const QString shown = parser.value("show-run");
        for (int row = 0; row < runsView->model()->rowCount(); ++row)
            if (!shown.isEmpty() && runsView->model()->index(row, 0).data().toString() == shown)
                runsView->selectionModel()->select(runsView->model()->index(row, 0),
                                                   QItemSelectionModel::Deselect | QItemSelectionModel::Rows);
        if (!window.comparePage()->isUpToDate())
            waitFor(window.comparePage(), &ComparePage::comparisonShown);
    }
    if (parser.isSet("show-run")) {
        window.showStoredRun(parser.value("show-run").toLongLong());
        if (!waitFor(&window, &MainWindow::storedRunShown))
            std::fprintf(stderr, "run %s was not shown\n", qPrintable(parser.value("show-run")));
    }

    bool allSaved = true;
    if (parser.isSet("report")) {
        const bool exported = window.exportReport(parser.value("report"));
        std::printf("%s %s\n", exported ? "wrote" : "could not write", qPrintable(parser.value("report")));
        allSaved &= exported;
    }
    auto* tabs = window.findChild<QTabWidget*>("tabs");
    // Presentation mode has charts only; the window shows every tab that holds a run's results.
    const QStringList shownTabs = parser.isSet("tabs") ? parser.value("tabs").split(',', Qt::SkipEmptyParts)
        : parser.isSet("present")                      ? QStringList{"Training", "Layer sparsity", "Masks", "Compare"}
                                  : QStringList{"Training", "Layer sparsity", "Runs", "Details", "Masks", "Compare"};
    for (const QString& tab : shownTabs) {
        const int index = tabIndex(*tabs, tab);
        if (index < 0) {
            std::fprintf(stderr, "no tab named %s\n", qPrintable(tab));
            allSaved = false;
            continue;
        }
        tabs->setCurrentIndex(index);
        if (tab == "Masks") {
            // The second layer (LeNet-5's conv2: 16 filters × 6 channels) shows more of a mask than
            // the first's six 5×5 kernels.
            if (auto* layers = window.findChild<QTableView*>("maskLayers"); layers && layers->model()->rowCount() > 1)
                layers->selectRow(1);
        }
        settle();
        const QString name = QString(tab).toLower().replace(' ', '-');
        if (parser.isSet("present")) {
            window.setPresentationFullScreen(true);
            window.togglePresentation();
            settle(1200);
            allSaved &= saveScreen(QDir(out).filePath(prefix + "-present-" + name + ".png"));
            window.togglePresentation();
            settle();
        } else {
            allSaved &= saveScreen(QDir(out).filePath(prefix + "-" + name + ".png"));
        }
    }
    return allSaved ? 0 : 1;
}
