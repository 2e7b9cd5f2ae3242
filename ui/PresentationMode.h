#pragma once
// Presentation mode for the weekly session, made for a projector: one chart at a time, full
// screen, in large type with large markers and a legend that wraps rather than cuts (the chart
// style's scale). The Masks tab presents the mask itself. PageDown / PageUp (and a clicker's
// Right / Left, Space / Backspace) step through the charts: for each selected run its
// training curves, layer sparsity and mask, then the comparison of the selection. The chart
// itself moves into the presentation window (a live run keeps drawing into it) and goes back to
// its place when the mode ends (F5 or Esc) or the next one comes.

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QWidget>  // complete: QPointer<QWidget> members

#include <functional>
#include <vector>

class QChartView;
class QLabel;
class QLayout;
class QTabWidget;

namespace prunescope {

class PresentationMode : public QObject {
    Q_OBJECT
public:
    explicit PresentationMode(QTabWidget* tabs, QObject* parent = nullptr);
    ~PresentationMode() override;

    // Which runs to step through (the selection, in order) and how to show one in the window's
    // charts. Without it (or with no run selected) the charts are presented as they are.
    void setRunSource(std::function<std::vector<qint64>()> selectedRuns, std::function<void(qint64)> showRun);

    // False when the current tab has no chart (the log, a table): there is nothing to present.
    bool start(bool fullScreen = true);
    void stop();
    // The next or previous chart; false (and nothing changes) at either end.
    bool next();
    bool previous();

    bool isActive() const { return m_window != nullptr; }
    QWidget* window() const { return m_window; }
    QWidget* presentedView() const { return m_view; }  // a chart view, or the mask heatmap
    QChartView* chartView() const;
    int slideIndex() const { return m_current; }
    int slideCount() const { return int(m_slides.size()); }
    qint64 slideRun() const;  // the run the current chart is of (0: the selection, or as shown)
    QString caption() const;

    static constexpr double kFontScale = 1.8;

Q_SIGNALS:
    void stopped();
    void slideChanged(int index);

private:
    struct Slide {
        int tab = -1;
        QPointer<QWidget> view;
        qint64 runId = 0;
        QString tabTitle;  // read at the start: a tab that is a chart leaves while it is shown
    };
    // Where a view came from, to put it back: a tab page of its own, a splitter, or a layout.
    struct Origin {
        int tabIndex = -1;
        QString tabText;
        QPointer<QWidget> parent;
        QPointer<QLayout> layout;  // the box or grid layout that held it (maybe nested)
        int index = -1;  // in the splitter, stacked widget or box layout
        bool wasCurrent = false;  // the page a stacked widget showed
        int stretch = 0;
        int row = -1, column = -1, rowSpan = 1, columnSpan = 1;  // in a grid layout
        QList<int> splitterSizes;
    };

    std::vector<QWidget*> presentableViews(QWidget* page) const;
    std::vector<Slide> buildSlides() const;
    bool show(int index);
    void take(const Slide& slide);
    void giveBack();
    void setScale(QWidget* view, double scale);

    QTabWidget* m_tabs;
    std::function<std::vector<qint64>()> m_selectedRuns;
    std::function<void(qint64)> m_showRun;
    QPointer<QWidget> m_window;
    QLabel* m_caption = nullptr;
    QPointer<QWidget> m_view;
    Origin m_origin;
    std::vector<Slide> m_slides;
    int m_current = -1;
    qint64 m_loadedRun = 0;  // the run last asked to be shown
};

}  // namespace prunescope
