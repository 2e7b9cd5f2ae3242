#include "LayoutGuards.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>
#include <QTextDocumentFragment>

namespace prunescope {
namespace {

bool takesValueFromWheel(QObject* object)
{
    return qobject_cast<QAbstractSpinBox*>(object) || qobject_cast<QComboBox*>(object);
}

}  // namespace

bool FocusedWheelOnly::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Polish && takesValueFromWheel(watched)) {
        auto* widget = static_cast<QWidget*>(watched);
        if (widget->focusPolicy() == Qt::WheelFocus)
            widget->setFocusPolicy(Qt::StrongFocus);
    } else if (event->type() == QEvent::Wheel && takesValueFromWheel(watched)
               && !static_cast<QWidget*>(watched)->hasFocus()) {
        // Ignored and filtered: the spin box never sees it, and Qt offers a real wheel event to
        // the parents next, so the scroll area around the form scrolls.
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

ElidingStatusBar::ElidingStatusBar(QWidget* parent) : QStatusBar(parent)
{
    connect(this, &QStatusBar::messageChanged, this, [this](const QString& message) { setToolTip(message); });
}

void ElidingStatusBar::paintEvent(QPaintEvent* event)
{
    const QString message = currentMessage();
    if (message.isEmpty()) {
        QStatusBar::paintEvent(event);
        return;
    }
    // As QStatusBar draws a message, but elided to the room left of any visible widget in the bar.
    QPainter painter(this);
    QStyleOption option;
    option.initFrom(this);
    style()->drawPrimitive(QStyle::PE_PanelStatusBar, &option, &painter, this);
    int right = width() - 6;
    for (const QWidget* child : findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly))
        if (child->isVisible() && child->geometry().left() > 0)
            right = std::min(right, child->geometry().left() - 6);
    const QRect room(6, 0, std::max(0, right - 6), height());
    painter.setPen(palette().windowText().color());
    painter.drawText(room, Qt::AlignLeading | Qt::AlignVCenter | Qt::TextSingleLine,
                     fontMetrics().elidedText(message.simplified(), Qt::ElideRight, room.width()));
}

ElidedLabel::ElidedLabel(QWidget* parent) : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void ElidedLabel::setFullText(const QString& text)
{
    m_fullText = Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
    m_fullText = m_fullText.simplified();
    elide();
}

bool ElidedLabel::isElided() const
{
    return text() != m_fullText;
}

QSize ElidedLabel::minimumSizeHint() const
{
    return {0, QLabel::minimumSizeHint().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    const QString shown = fontMetrics().elidedText(m_fullText, Qt::ElideRight, std::max(0, contentsRect().width()));
    if (shown != text())
        setText(shown);
    setToolTip(shown != m_fullText ? m_fullText : QString());
}

}  // namespace prunescope
