#include "PresentationMode.h"

#include <QAbstractAxis>
#include <QAction>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QScreen>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace prunescope {

PresentationMode::PresentationMode(QTabWidget* tabs, QObject* parent) : QObject(parent), m_tabs(tabs)
{
}

PresentationMode::~PresentationMode()
{
    stop();
}

bool PresentationMode::start(bool fullScreen)
{
    if (m_window)
        return true;
    QWidget* page = m_tabs->currentWidget();
    auto* view = qobject_cast<QChartView*>(page);
    if (!view && page)
        view = page->findChild<QChartView*>();
    if (!view)
        return false;
    m_view = view;
    if (view == page) {
        m_tabIndex = m_tabs->currentIndex();
        m_tabText = m_tabs->tabText(m_tabIndex);
        m_parent = nullptr;
    } else {
        m_tabIndex = m_tabs->currentIndex();
        m_tabText.clear();
        m_parent = view->parentWidget();
        if (auto* splitter = qobject_cast<QSplitter*>(m_parent.data())) {
            m_layoutIndex = splitter->indexOf(view);
            m_splitterSizes = splitter->sizes();
        } else {
            auto* box = qobject_cast<QBoxLayout*>(m_parent->layout());
            m_layoutIndex = box ? box->indexOf(view) : -1;
            m_layoutStretch = box && m_layoutIndex >= 0 ? box->stretch(m_layoutIndex) : 0;
        }
    }

    m_window = new QWidget(nullptr, Qt::Window);
    m_window->setObjectName("presentation");
    m_window->setWindowTitle(tr("PruneScope — presentation (F5 or Esc to leave)"));
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    auto* layout = new QVBoxLayout(m_window);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(view);  // reparents: the tab or layout lets go of it
    view->show();
    auto* leave = new QAction(m_window);
    leave->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::Key_Escape)});
    leave->setShortcutContext(Qt::WindowShortcut);
    connect(leave, &QAction::triggered, this, &PresentationMode::stop);
    m_window->addAction(leave);
    // Closing the window by other means (the window manager) ends the mode as well.
    connect(m_window, &QObject::destroyed, this, [this] {
        if (m_view && m_view->parentWidget() == nullptr)
            stop();
    });
    scaleFonts(kFontScale);
    // Without a window manager (a bare X server, a kiosk) full screen is only a hint: cover the
    // screen the main window is on explicitly.
    if (QScreen* screen = m_tabs->window()->screen(); screen && fullScreen)
        m_window->setGeometry(screen->geometry());
    if (fullScreen)
        m_window->showFullScreen();
    else
        m_window->show();
    m_window->activateWindow();
    return true;
}

void PresentationMode::stop()
{
    if (!m_view && !m_window)
        return;
    QPointer<QWidget> window = m_window;
    m_window = nullptr;
    if (m_view) {
        restoreFonts();
        if (auto* splitter = qobject_cast<QSplitter*>(m_parent.data())) {
            splitter->insertWidget(m_layoutIndex, m_view);
            splitter->setSizes(m_splitterSizes);
        } else if (m_parent) {
            if (auto* box = qobject_cast<QBoxLayout*>(m_parent->layout()); box && m_layoutIndex >= 0)
                box->insertWidget(m_layoutIndex, m_view, m_layoutStretch);
            else
                m_view->setParent(m_parent);
        } else {
            m_tabs->insertTab(m_tabIndex, m_view, m_tabText);
        }
        m_view->show();
        m_tabs->setCurrentIndex(m_tabIndex);
    }
    m_view = nullptr;
    if (window) {
        window->disconnect(this);
        window->close();
    }
    Q_EMIT stopped();
}

void PresentationMode::scaleFonts(double factor)
{
    m_fonts.clear();
    QChart* chart = m_view->chart();
    auto bigger = [factor](QFont font) {
        font.setPointSizeF(font.pointSizeF() * factor);
        return font;
    };
    m_fonts.push_back({chart, chart->titleFont()});
    chart->setTitleFont(bigger(chart->titleFont()));
    m_fonts.push_back({chart->legend(), chart->legend()->font()});
    chart->legend()->setFont(bigger(chart->legend()->font()));
    for (QAbstractAxis* axis : chart->axes()) {
        m_fonts.push_back({axis, axis->labelsFont()});
        axis->setLabelsFont(bigger(axis->labelsFont()));
        axis->setTitleFont(bigger(axis->titleFont()));
    }
}

void PresentationMode::restoreFonts()
{
    QChart* chart = m_view->chart();
    for (const auto& [object, font] : m_fonts) {
        if (object == chart) {
            chart->setTitleFont(font);
        } else if (object == chart->legend()) {
            chart->legend()->setFont(font);
        } else if (chart->axes().contains(static_cast<QAbstractAxis*>(object))) {
            auto* axis = static_cast<QAbstractAxis*>(object);
            axis->setLabelsFont(font);
            QFont title = axis->titleFont();
            title.setPointSizeF(title.pointSizeF() / kFontScale);
            axis->setTitleFont(title);
        }
    }
    m_fonts.clear();
}

}  // namespace prunescope
