#include "PresentationMode.h"

#include "ChartStyle.h"
#include "CompareChart.h"
#include "ComparePage.h"
#include "MaskHeatmap.h"
#include "MaskInspector.h"
#include "TrainingOverlayChart.h"

#include <QAction>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace prunescope {

PresentationMode::PresentationMode(QTabWidget* tabs, QObject* parent) : QObject(parent), m_tabs(tabs)
{
}

PresentationMode::~PresentationMode()
{
    stop();
}

void PresentationMode::setRunSource(std::function<std::vector<qint64>()> selectedRuns,
                                    std::function<void(qint64)> showRun)
{
    m_selectedRuns = std::move(selectedRuns);
    m_showRun = std::move(showRun);
}

QChartView* PresentationMode::chartView() const
{
    return qobject_cast<QChartView*>(m_view.data());
}

qint64 PresentationMode::slideRun() const
{
    return m_current >= 0 && m_current < slideCount() ? m_slides[size_t(m_current)].runId : 0;
}

std::vector<QWidget*> PresentationMode::presentableViews(QWidget* page) const
{
    // The Masks tab presents the mask itself, not the histogram under it.
    if (auto* inspector = qobject_cast<MaskInspector*>(page))
        return {inspector->heatmap()};
    if (auto* view = qobject_cast<QChartView*>(page))
        return {view};
    std::vector<QWidget*> visible, drawn;
    if (!page)
        return visible;
    // Hidden (a run without method curves): nothing to show. Empty (no runs to overlay): only
    // when the page has nothing else, so its message can be shown.
    for (QChartView* view : page->findChildren<QChartView*>())
        if (view->isVisibleTo(page) && view->chart()) {
            visible.push_back(view);
            if (!view->chart()->series().isEmpty())
                drawn.push_back(view);
        }
    std::vector<QWidget*> views = drawn.empty() ? visible : drawn;
    // The Compare tab's main chart (the comparison, or the training curves chosen in its place)
    // first, the layers overlaid after it.
    if (auto* compare = qobject_cast<ComparePage*>(page)) {
        for (QWidget* mainChart :
             {static_cast<QWidget*>(compare->chart()), static_cast<QWidget*>(compare->trainingOverlay())}) {
            const auto main = std::find(views.begin(), views.end(), mainChart);
            if (main != views.end())
                std::rotate(views.begin(), main, main + 1);
        }
    }
    return views;
}

std::vector<PresentationMode::Slide> PresentationMode::buildSlides() const
{
    const std::vector<qint64> runs = m_selectedRuns ? m_selectedRuns() : std::vector<qint64>{};
    std::vector<Slide> slides;
    auto isComparison = [this](int tab) { return qobject_cast<ComparePage*>(m_tabs->widget(tab)) != nullptr; };
    // Each selected run's own charts (training, layer sparsity, mask) run by run…
    for (qint64 run : runs.empty() ? std::vector<qint64>{0} : runs)
        for (int tab = 0; tab < m_tabs->count(); ++tab)
            if (!isComparison(tab))
                for (QWidget* view : presentableViews(m_tabs->widget(tab)))
                    slides.push_back({tab, view, run, m_tabs->tabText(tab).remove(QLatin1Char('&'))});
    // …then the comparison of the selection.
    for (int tab = 0; tab < m_tabs->count(); ++tab)
        if (isComparison(tab))
            for (QWidget* view : presentableViews(m_tabs->widget(tab)))
                slides.push_back({tab, view, 0, m_tabs->tabText(tab).remove(QLatin1Char('&'))});
    return slides;
}

bool PresentationMode::start(bool fullScreen)
{
    if (m_window)
        return true;
    const int currentTab = m_tabs->currentIndex();
    m_slides = buildSlides();
    auto first = std::find_if(m_slides.begin(), m_slides.end(), [&](const Slide& s) { return s.tab == currentTab; });
    if (first == m_slides.end()) {
        m_slides.clear();
        return false;
    }
    m_loadedRun = 0;

    m_window = new QWidget(nullptr, Qt::Window);
    m_window->setObjectName("presentation");
    m_window->setWindowTitle(
        tr("PruneScope — presentation (PageDown / PageUp: next / previous chart; F5 or Esc to leave)"));
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    auto* layout = new QVBoxLayout(m_window);
    layout->setContentsMargins(24, 16, 24, 24);
    m_caption = new QLabel;
    m_caption->setObjectName("presentationCaption");
    QFont captionFont = m_caption->font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 1.4);
    m_caption->setFont(captionFont);
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);
    auto* leave = new QAction(m_window);
    leave->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::Key_Escape)});
    leave->setShortcutContext(Qt::WindowShortcut);
    connect(leave, &QAction::triggered, this, &PresentationMode::stop);
    m_window->addAction(leave);
    // A presenter's clicker sends PageDown / PageUp (some Right / Left); the keyboard has Space.
    auto* forward = new QAction(m_window);
    forward->setShortcuts({QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Space),
                           QKeySequence(Qt::Key_Down)});
    forward->setShortcutContext(Qt::WindowShortcut);
    connect(forward, &QAction::triggered, this, &PresentationMode::next);
    m_window->addAction(forward);
    auto* back = new QAction(m_window);
    back->setShortcuts({QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_Backspace),
                        QKeySequence(Qt::Key_Up)});
    back->setShortcutContext(Qt::WindowShortcut);
    connect(back, &QAction::triggered, this, &PresentationMode::previous);
    m_window->addAction(back);
    // Closing the window by other means (the window manager) ends the mode as well.
    connect(m_window, &QObject::destroyed, this, [this] {
        if (m_view && m_view->parentWidget() == nullptr)
            stop();
    });
    show(int(first - m_slides.begin()));
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

bool PresentationMode::next()
{
    return m_window && m_current + 1 < slideCount() && show(m_current + 1);
}

bool PresentationMode::previous()
{
    return m_window && m_current > 0 && show(m_current - 1);
}

bool PresentationMode::show(int index)
{
    if (index < 0 || index >= slideCount() || !m_slides[size_t(index)].view)
        return false;
    giveBack();
    m_current = index;
    const Slide& slide = m_slides[size_t(index)];
    // The window reads the run and redraws its charts in place, this one included.
    if (slide.runId != 0 && slide.runId != m_loadedRun && m_showRun) {
        m_loadedRun = slide.runId;
        m_showRun(slide.runId);
    }
    take(slide);
    m_caption->setText(caption());
    Q_EMIT slideChanged(index);
    return true;
}

QString PresentationMode::caption() const
{
    if (m_current < 0 || m_current >= slideCount())
        return {};
    const Slide& slide = m_slides[size_t(m_current)];
    const QString what = slide.runId ? tr("Run %1 · %2").arg(slide.runId).arg(slide.tabTitle) : slide.tabTitle;
    return tr("%1   (%2 / %3 · PageDown next, PageUp back, Esc leaves)").arg(what).arg(m_current + 1).arg(slideCount());
}

void PresentationMode::take(const Slide& slide)
{
    QWidget* view = slide.view;
    QWidget* page = m_tabs->widget(slide.tab);
    m_origin = {};
    m_origin.tabIndex = slide.tab;
    if (view == page) {
        m_origin.tabText = m_tabs->tabText(slide.tab);
    } else {
        m_origin.parent = view->parentWidget();
        if (auto* splitter = qobject_cast<QSplitter*>(m_origin.parent.data())) {
            m_origin.index = splitter->indexOf(view);
            m_origin.splitterSizes = splitter->sizes();
        } else if (auto* stack = qobject_cast<QStackedWidget*>(m_origin.parent.data())) {
            // One of the pages of a stack (the Compare tab's comparison or training curves).
            m_origin.index = stack->indexOf(view);
            m_origin.wasCurrent = stack->currentWidget() == view;
        } else if (m_origin.parent) {
            // The layout that holds it, perhaps nested (the mask inspector's grid inside a box).
            for (QLayout* layout : m_origin.parent->findChildren<QLayout*>()) {
                const int at = layout->indexOf(view);
                if (at < 0)
                    continue;
                m_origin.layout = layout;
                if (auto* grid = qobject_cast<QGridLayout*>(layout)) {
                    grid->getItemPosition(at, &m_origin.row, &m_origin.column, &m_origin.rowSpan, &m_origin.columnSpan);
                } else if (auto* box = qobject_cast<QBoxLayout*>(layout)) {
                    m_origin.index = at;
                    m_origin.stretch = box->stretch(at);
                }
                break;
            }
        }
    }
    m_view = view;
    m_window->layout()->addWidget(view);  // reparents: the tab or layout lets go of it
    static_cast<QVBoxLayout*>(m_window->layout())->setStretchFactor(view, 1);
    view->show();
    setScale(view, kFontScale);
    if (auto* heatmap = qobject_cast<MaskHeatmap*>(view))
        heatmap->fitToView();
}

void PresentationMode::giveBack()
{
    if (!m_view)
        return;
    QWidget* view = m_view;
    m_view = nullptr;
    setScale(view, 1.0);
    if (auto* splitter = qobject_cast<QSplitter*>(m_origin.parent.data())) {
        splitter->insertWidget(m_origin.index, view);
        splitter->setSizes(m_origin.splitterSizes);
    } else if (auto* stack = qobject_cast<QStackedWidget*>(m_origin.parent.data())) {
        stack->insertWidget(m_origin.index, view);
        if (m_origin.wasCurrent)
            stack->setCurrentWidget(view);
    } else if (m_origin.parent) {
        if (auto* grid = qobject_cast<QGridLayout*>(m_origin.layout.data()))
            grid->addWidget(view, m_origin.row, m_origin.column, m_origin.rowSpan, m_origin.columnSpan);
        else if (auto* box = qobject_cast<QBoxLayout*>(m_origin.layout.data()))
            box->insertWidget(m_origin.index, view, m_origin.stretch);
        else
            view->setParent(m_origin.parent);
    } else {
        m_tabs->insertTab(m_origin.tabIndex, view, m_origin.tabText);
    }
    view->show();
    if (auto* heatmap = qobject_cast<MaskHeatmap*>(view))
        heatmap->fitToView();
}

void PresentationMode::setScale(QWidget* view, double scale)
{
    if (auto* chartView = qobject_cast<QChartView*>(view))
        setChartScale(chartView->chart(), scale);
}

void PresentationMode::stop()
{
    if (!m_view && !m_window)
        return;
    QPointer<QWidget> window = m_window;
    m_window = nullptr;
    const int tab = m_origin.tabIndex;
    giveBack();
    if (tab >= 0)
        m_tabs->setCurrentIndex(tab);
    m_slides.clear();
    m_current = -1;
    if (window) {
        window->disconnect(this);
        window->close();
    }
    Q_EMIT stopped();
}

}  // namespace prunescope
