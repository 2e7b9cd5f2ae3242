#pragma once
// Presentation mode for the weekly session: the chart of the current tab alone, full screen,
// in large type. The chart itself moves into the presentation window (so a live run keeps
// drawing into it) and goes back to its place, with its fonts, when the mode ends (F5 or Esc).

#include <QChartView>  // complete: a QPointer<QChartView> member
#include <QFont>
#include <QObject>
#include <QList>
#include <QPointer>

#include <vector>

class QLayout;
class QTabWidget;
class QWidget;

namespace prunescope {

class PresentationMode : public QObject {
    Q_OBJECT
public:
    explicit PresentationMode(QTabWidget* tabs, QObject* parent = nullptr);
    ~PresentationMode() override;

    // False when the current tab has no chart (the log, a table): there is nothing to present.
    bool start(bool fullScreen = true);
    void stop();
    bool isActive() const { return m_window != nullptr; }
    QWidget* window() const { return m_window; }
    QChartView* chartView() const { return m_view; }

    static constexpr double kFontScale = 1.8;

Q_SIGNALS:
    void stopped();

private:
    void scaleFonts(double factor);
    void restoreFonts();

    QTabWidget* m_tabs;
    QPointer<QWidget> m_window;
    QPointer<QChartView> m_view;
    // Where the chart came from: a tab page of its own, a splitter, or a tab page's layout.
    int m_tabIndex = -1;
    QString m_tabText;
    QPointer<QWidget> m_parent;
    int m_layoutIndex = -1;
    int m_layoutStretch = 0;
    QList<int> m_splitterSizes;  // when the chart sat in a splitter
    std::vector<std::pair<QObject*, QFont>> m_fonts;
};

}  // namespace prunescope
