#pragma once
// The Masks tab's histogram of one layer's weights: the dense network's before pruning and the
// survivors after, on one set of bins over a real weight axis (nice ticks at weight values), as
// two step outlines filled lightly so both stay visible where they overlap. Tall enough to read
// at any window size; the pointer names the bin and its counts.

#include <QChartView>
#include <QString>

#include <vector>

namespace prunescope {

class WeightHistogramChart : public QChartView {
    Q_OBJECT
public:
    static constexpr int kBins = 24;

    explicit WeightHistogramChart(QWidget* parent = nullptr);

    // Nothing drawn; the title (when not empty) says why.
    void clear(const QString& title = {});
    // A side with no values is left out (and its name out of the legend).
    void setWeights(const QString& layer, const std::vector<float>& before, const QString& beforeName,
                    const std::vector<float>& after, const QString& afterName);

    // Weights counted in each drawn side's bins (before first), for checks and tooltips.
    const std::vector<std::vector<int>>& binCounts() const { return m_counts; }
    double binLow() const { return m_low; }
    double binWidth() const { return m_width; }

private:
    std::vector<std::vector<int>> m_counts;
    QStringList m_names;
    double m_low = 0, m_width = 1;
};

}  // namespace prunescope
