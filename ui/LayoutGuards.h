#pragma once
// Small pieces that keep the window usable on a laptop screen: a wheel that changes only the field
// one is editing, a status bar whose long messages elide instead of widening the window, and a
// label that elides with the whole text in its tooltip.

#include <QLabel>
#include <QObject>
#include <QStatusBar>

namespace prunescope {

// Installed on the application: spin boxes and combo boxes take the mouse wheel only when they
// have the keyboard focus, so scrolling a form over them scrolls the form instead of changing a
// value the user never looked at. They also stop taking the focus from the wheel (StrongFocus).
class FocusedWheelOnly : public QObject {
    Q_OBJECT
public:
    explicit FocusedWheelOnly(QObject* parent = nullptr) : QObject(parent) {}
    bool eventFilter(QObject* watched, QEvent* event) override;
};

// A status bar that draws a message too long for it elided, with the whole message as its tooltip.
// A message never changes the bar's size, so it cannot widen the window.
class ElidingStatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit ElidingStatusBar(QWidget* parent = nullptr);

protected:
    void paintEvent(QPaintEvent* event) override;
};

// One line of plain text, elided at the right when the layout gives it less room than it needs
// (the tooltip then has the whole text). It asks for no minimum width, so a long text cannot
// widen its window.
class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);
    // Like QLabel::setText; rich text is shown as its plain text.
    void setFullText(const QString& text);
    QString fullText() const { return m_fullText; }
    bool isElided() const;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();
    QString m_fullText;
};

}  // namespace prunescope
