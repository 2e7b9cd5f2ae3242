#pragma once
// Kept weights per layer after the latest pruning step, one horizontal bar per layer; layers the
// method left alone (e.g. the classifier) in grey, so "not pruned" never reads as "kept by choice".

#include "core/RunEvents.h"

#include <QChartView>

class QBarSet;
class QCategoryAxis;
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
    // The layer names the axis shows: all of them when they fit, else every k-th (a ResNet-56 has
    // 55 layers, more than a laptop's chart has lines for).
    QStringList shownLayerNames() const;

private:
    void labelLayers();

    QHorizontalStackedBarSeries* m_series;
    QCategoryAxis* m_layerAxis;
    QStringList m_layerNames;  // bottom-up, as the bars are drawn
    int m_labelEvery = -1;  // every how many layers one is named
    QValueAxis* m_percentAxis;
    QColor m_prunedColour = QColor(0x1f, 0x77, 0xb4);
    int m_barCount = 0;
};

}  // namespace prunescope
