#include "ChartLegend.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace prunescope {

ChartLegend::ChartLegend(QGraphicsItem* parent) : QGraphicsItem(parent)
{
    setZValue(10);  // above the chart's background
}

void ChartLegend::setEntries(std::vector<Entry> entries)
{
    m_entries = std::move(entries);
    update();
}

void ChartLegend::setFont(const QFont& font)
{
    m_font = font;
    update();
}

void ChartLegend::setTextColour(QColor colour)
{
    m_textColour = colour;
    update();
}

double ChartLegend::sampleWidth() const
{
    // Long enough to show two dashes of a dashed line and the marker between them.
    return std::round(QFontMetricsF(m_font).height() * 2.6);
}

double ChartLegend::layOut(double width)
{
    prepareGeometryChange();
    m_samples.assign(m_entries.size(), {});
    m_labels.assign(m_entries.size(), {});
    const QFontMetricsF metrics(m_font);
    const double sample = sampleWidth(), gap = std::round(metrics.height() * 0.4),
                 spacing = std::round(metrics.height() * 1.2), rowGap = std::round(metrics.height() * 0.25);
    width = std::max(width, sample + gap + metrics.averageCharWidth() * 8);
    // Each entry as wide as its label, a label wider than a whole row wrapped to the row.
    struct Placed {
        size_t entry;
        double x;
        QSizeF label;
    };
    std::vector<std::vector<Placed>> rows(1);
    double x = 0;
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const double room = width - sample - gap;
        const QRectF natural = metrics.boundingRect(QRectF(0, 0, room, 1e6), Qt::TextWordWrap, m_entries[i].label);
        const double entryWidth = sample + gap + natural.width();
        if (x > 0 && x + entryWidth > width) {
            rows.emplace_back();
            x = 0;
        }
        rows.back().push_back({i, x, natural.size()});
        x += entryWidth + spacing;
    }
    double y = 0, widest = 0;
    for (const auto& row : rows) {
        if (row.empty())
            continue;
        double rowHeight = 0, rowWidth = 0;
        for (const Placed& p : row) {
            rowHeight = std::max(rowHeight, std::max(p.label.height(), metrics.height()));
            rowWidth = p.x + sample + gap + p.label.width();
        }
        const double indent = std::max(0.0, (width - rowWidth) / 2);  // rows centred under the plot
        for (const Placed& p : row) {
            const double left = indent + p.x;
            // The sample beside the label's first line.
            m_samples[p.entry] = QRectF(left, y, sample, metrics.height());
            m_labels[p.entry] = QRectF(left + sample + gap, y, p.label.width() + 1, p.label.height());
        }
        widest = std::max(widest, indent + rowWidth);
        y += rowHeight + rowGap;
    }
    m_size = m_entries.empty() ? QSizeF() : QSizeF(width, std::max(0.0, y - rowGap));
    update();
    return m_size.height();
}

QRectF ChartLegend::labelRect(int i) const
{
    return i >= 0 && size_t(i) < m_labels.size() ? m_labels[size_t(i)] : QRectF();
}

QRectF ChartLegend::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_size).adjusted(-2, -2, 2, 2);
}

void ChartLegend::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(m_font);
    for (size_t i = 0; i < m_entries.size() && i < m_samples.size(); ++i) {
        const Entry& entry = m_entries[i];
        const QRectF sample = m_samples[i];
        const QPointF centre = sample.center();
        if (entry.box.style() != Qt::NoBrush) {
            const double side = sample.height() * 0.75;
            const QRectF box(centre.x() - side / 2, centre.y() - side / 2, side, side);
            painter->setPen(QPen(entry.box.color().darker(130), 1));
            painter->setBrush(entry.box);
            painter->drawRect(box);
        }
        if (entry.line.style() != Qt::NoPen) {
            QPen pen = entry.line;
            pen.setCapStyle(Qt::FlatCap);
            painter->setPen(pen);
            painter->drawLine(QPointF(sample.left(), centre.y()), QPointF(sample.right(), centre.y()));
        }
        if (!entry.marker.isNull())
            painter->drawImage(centre - QPointF(entry.marker.width() / 2.0, entry.marker.height() / 2.0), entry.marker);
        painter->setPen(m_textColour);
        painter->drawText(m_labels[i], Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, entry.label);
    }
    painter->restore();
}

}  // namespace prunescope
