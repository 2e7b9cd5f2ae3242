#include "MaskHeatmap.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace prunescope {
namespace {

// |w| on a single-hue scale (viridis would hide the pruned/kept contrast the view is for): on
// the light canvas from pale to deep blue, on the dark one from dim to bright blue.
QRgb magnitudeColour(double t, const MaskHeatmap::Colours& colours)
{
    t = std::clamp(t, 0.0, 1.0);
    auto mix = [t](int from, int to) { return int(std::lround(from + t * (to - from))); };
    const QColor weak(colours.weakest), strong(colours.strongest);
    return qRgb(mix(weak.red(), strong.red()), mix(weak.green(), strong.green()), mix(weak.blue(), strong.blue()));
}

bool paletteIsDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

}  // namespace

QRgb MaskHeatmap::keptColour()
{
    return qRgb(0x1f, 0x4e, 0x8c);
}
QRgb MaskHeatmap::prunedColour()
{
    return qRgb(0xee, 0xee, 0xee);
}
QRgb MaskHeatmap::removedColour()
{
    return qRgb(0xf4, 0xb6, 0xb0);
}

MaskHeatmap::Colours MaskHeatmap::coloursFor(bool dark)
{
    if (dark)
        return {qRgb(0x8c, 0xc4, 0xff), qRgb(0x3a, 0x3d, 0x42), qRgb(0x7a, 0x32, 0x2c),
                qRgb(0x1e, 0x1f, 0x22), qRgb(0x2c, 0x4a, 0x6e), qRgb(0xb8, 0xdc, 0xff)};
    return {keptColour(),           prunedColour(),      removedColour(),
            qRgb(0xff, 0xff, 0xff), qRgb(220, 230, 245), qRgb(8, 48, 107)};
}

MaskHeatmap::MaskHeatmap(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 180);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Wheel: zoom · drag: pan · double-click or Ctrl+0: fit"));
    m_dark = paletteIsDark(palette());
}

void MaskHeatmap::clear(const QString& message)
{
    m_mask = {};
    m_weights.clear();
    m_image = {};
    m_message = message;
    m_prunedFilters = m_prunedChannels = 0;
    update();
}

void MaskHeatmap::setMask(const MaskSnapshot& mask, const std::vector<float>& weights)
{
    m_mask = mask;
    m_weights = int64_t(weights.size()) == mask.numel() ? weights : std::vector<float>{};
    m_message.clear();
    const auto& shape = mask.shape;
    m_out = shape.empty() ? 0 : shape[0];
    m_in = shape.size() > 1 ? shape[1] : 1;
    m_kh = shape.size() > 2 ? shape[2] : 1;
    m_kw = shape.size() > 3 ? shape[3] : 1;
    m_dark = paletteIsDark(palette());
    renderImage();
    m_fitted = false;
    fitToView();
}

void MaskHeatmap::renderImage()
{
    const auto& shape = m_mask.shape;
    const MaskHeatmap::Colours colours = coloursFor(m_dark);
    const bool conv = shape.size() == 4;
    const int64_t kernel = m_kh * m_kw;
    const int64_t cellW = conv ? m_kw + 1 : 1, cellH = conv ? m_kh + 1 : 1;
    const int width = int(std::max<int64_t>(1, m_in * cellW - (conv ? 1 : 0)));
    const int height = int(std::max<int64_t>(1, m_out * cellH - (conv ? 1 : 0)));
    m_image = QImage(width, height, QImage::Format_RGB32);
    m_image.fill(conv ? colours.gap : colours.pruned);

    // Entirely pruned filters (rows) and input channels (columns): removed for real by
    // structured methods, and worth seeing in unstructured ones too.
    std::vector<bool> filterAlive(size_t(m_out), false), channelAlive(size_t(m_in), false);
    for (int64_t o = 0; o < m_out; ++o)
        for (int64_t i = 0; i < m_in; ++i)
            for (int64_t k = 0; k < kernel; ++k)
                if (m_mask.kept((o * m_in + i) * kernel + k)) {
                    filterAlive[size_t(o)] = true;
                    channelAlive[size_t(i)] = true;
                }
    m_prunedFilters = int(std::count(filterAlive.begin(), filterAlive.end(), false));
    m_prunedChannels = int(std::count(channelAlive.begin(), channelAlive.end(), false));

    float maxMagnitude = 0;
    for (float w : m_weights)
        maxMagnitude = std::max(maxMagnitude, std::abs(w));
    for (int64_t o = 0; o < m_out; ++o) {
        for (int64_t i = 0; i < m_in; ++i) {
            const bool removed = !filterAlive[size_t(o)] || !channelAlive[size_t(i)];
            for (int64_t y = 0; y < m_kh; ++y) {
                auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(int(o * cellH + y)));
                for (int64_t x = 0; x < m_kw; ++x) {
                    const int64_t index = (o * m_in + i) * kernel + y * m_kw + x;
                    QRgb colour = removed ? colours.removed : colours.pruned;
                    if (m_mask.kept(index))
                        colour = m_weights.empty() || maxMagnitude <= 0
                            ? colours.kept
                            : magnitudeColour(0.15 + 0.85 * std::abs(m_weights[size_t(index)]) / maxMagnitude, colours);
                    line[i * cellW + x] = colour;
                }
            }
        }
    }
}

void MaskHeatmap::changeEvent(QEvent* event)
{
    // The theme changed: the same mask on the other canvas, at the same zoom.
    if (event->type() == QEvent::PaletteChange && paletteIsDark(palette()) != m_dark) {
        m_dark = paletteIsDark(palette());
        if (!m_image.isNull())
            renderImage();
        update();
    }
    QWidget::changeEvent(event);
}

QPoint MaskHeatmap::cellPixel(int64_t out, int64_t in, int64_t y, int64_t x) const
{
    const bool conv = m_mask.shape.size() == 4;
    return QPoint(int(in * (conv ? m_kw + 1 : 1) + x), int(out * (conv ? m_kh + 1 : 1) + y));
}

std::optional<std::array<int64_t, 4>> MaskHeatmap::elementAt(QPoint p) const
{
    if (m_image.isNull() || !m_image.rect().contains(p))
        return std::nullopt;
    const bool conv = m_mask.shape.size() == 4;
    const int64_t cellW = conv ? m_kw + 1 : 1, cellH = conv ? m_kh + 1 : 1;
    const int64_t o = p.y() / cellH, y = p.y() % cellH, i = p.x() / cellW, x = p.x() % cellW;
    if (y >= m_kh || x >= m_kw || o >= m_out || i >= m_in)
        return std::nullopt;  // the gap between kernels
    return std::array<int64_t, 4>{o, i, y, x};
}

QString MaskHeatmap::describePixel(QPoint imagePixel) const
{
    const auto element = elementAt(imagePixel);
    if (!element)
        return {};
    const auto [o, i, y, x] = *element;
    const int64_t index = ((o * m_in + i) * m_kh + y) * m_kw + x;
    const bool kept = m_mask.kept(index);
    QString text = m_mask.shape.size() == 4
        ? tr("filter %1, channel %2, kernel (%3, %4): %5")
              .arg(o)
              .arg(i)
              .arg(y)
              .arg(x)
              .arg(kept ? tr("kept") : tr("pruned"))
        : tr("output %1, input %2: %3").arg(o).arg(i).arg(kept ? tr("kept") : tr("pruned"));
    if (!m_weights.empty())
        text += tr(", w = %1").arg(double(m_weights[size_t(index)]), 0, 'g', 4);
    return text;
}

void MaskHeatmap::fitToView()
{
    if (m_image.isNull() || width() <= 0 || height() <= 0)
        return;
    m_zoom = std::min(double(width()) / m_image.width(), double(height()) / m_image.height());
    m_offset = QPointF((width() - m_image.width() * m_zoom) / 2, (height() - m_image.height() * m_zoom) / 2);
    m_fitted = true;
    update();
}

QPointF MaskHeatmap::toImage(QPointF widgetPoint) const
{
    return (widgetPoint - m_offset) / m_zoom;
}

void MaskHeatmap::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (m_image.isNull()) {
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         m_message.isEmpty() ? tr("Choose a layer to see its mask") : m_message);
        return;
    }
    // Nearest-neighbour scaling: every weight a crisp square at any zoom.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(QRectF(m_offset, QSizeF(m_image.size()) * m_zoom), m_image);
}

void MaskHeatmap::wheelEvent(QWheelEvent* event)
{
    if (m_image.isNull())
        return;
    const QPointF anchor = event->position();
    const QPointF before = toImage(anchor);
    const double factor = std::pow(1.0015, event->angleDelta().y());
    // Up to one weight filling the pane: a small mask fitted to a big pane is already past a
    // fixed limit such as 80×, and the wheel must never zoom against its direction.
    const double most = std::max({80.0, double(std::max(width(), height())), m_zoom});
    m_zoom = std::clamp(m_zoom * factor, std::min(0.05, m_zoom), most);
    m_offset = anchor - before * m_zoom;  // the point under the cursor stays there
    m_fitted = false;
    update();
    event->accept();
}

void MaskHeatmap::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        m_dragFrom = event->position();
}

void MaskHeatmap::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragFrom) {
        m_offset += event->position() - *m_dragFrom;
        m_dragFrom = event->position();
        m_fitted = false;
        update();
        return;
    }
    const QPointF p = toImage(event->position());
    const QString text = describePixel(QPoint(int(std::floor(p.x())), int(std::floor(p.y()))));
    if (!text.isEmpty())
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    Q_EMIT hovered(text);
}

void MaskHeatmap::mouseReleaseEvent(QMouseEvent*)
{
    m_dragFrom.reset();
}

void MaskHeatmap::mouseDoubleClickEvent(QMouseEvent*)
{
    fitToView();
}

void MaskHeatmap::resizeEvent(QResizeEvent*)
{
    if (m_fitted || m_zoom == 1)
        fitToView();
}

}  // namespace prunescope
