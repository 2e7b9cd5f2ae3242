#pragma once
// Kept weights per layer after the latest pruning step, one horizontal bar per layer; layers the
// method left alone (e.g. the classifier) in grey, so "not pruned" never reads as "kept by choice".

#include "core/RunEvents.h"

#include <QChartView>

class QBarSet;
class QBarCategoryAxis;
class QHorizontalStackedBarSeries;
class QValueAxis;

namespace prunescope {

class LayerSparsityChart : public QChartView {
    Q_OBJECT
public:
    explicit LayerSparsityChart(QWidget* parent = nullptr);

    void clear();
    void setLayers(const std::vector<LayerStats>& layers, int step);
    // The pruned layers' colour: the method's, where the chart sits beside others of a view.
    void setPrunedColour(QColor colour) { m_prunedColour = colour; }
    int barCount() const { return m_barCount; }

private:
    QHorizontalStackedBarSeries* m_series;
    QBarCategoryAxis* m_layerAxis;
    QValueAxis* m_percentAxis;
    QColor m_prunedColour = QColor(0x1f, 0x77, 0xb4);
    int m_barCount = 0;
};

}  // namespace prunescope
