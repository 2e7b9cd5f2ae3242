#pragma once
// The charts' legend, drawn by the chart style instead of Qt's: each entry shows a sample of the
// series as it is drawn (its line with the dash pattern, and its marker; a filled box for bars
// and areas), and a label that wraps onto more lines instead of being cut with "...". Entries
// flow in rows under the plot; the chart's bottom margin is made as tall as the rows need.

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QImage>
#include <QPen>
#include <QString>

#include <vector>

namespace prunescope {

class ChartLegend : public QGraphicsItem {
public:
    struct Entry {
        QString label;
        QPen line = QPen(Qt::NoPen);  // the series' line, dash pattern included
        QImage marker;  // the point marker, or none
        QBrush box = Qt::NoBrush;  // bars and areas: a filled box
    };

    explicit ChartLegend(QGraphicsItem* parent = nullptr);

    void setEntries(std::vector<Entry> entries);
    const std::vector<Entry>& entries() const { return m_entries; }
    void setFont(const QFont& font);
    QFont font() const { return m_font; }
    void setTextColour(QColor colour);

    // Lays the entries out in rows within `width` pixels; returns the height they take.
    double layOut(double width);
    double height() const { return m_size.height(); }
    // Where entry i's label was placed (item coordinates), and whether it had to wrap.
    QRectF labelRect(int i) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    double sampleWidth() const;

    std::vector<Entry> m_entries;
    QFont m_font;
    QColor m_textColour = Qt::black;
    std::vector<QRectF> m_samples;  // one per entry, item coordinates
    std::vector<QRectF> m_labels;
    QSizeF m_size;
};

}  // namespace prunescope
