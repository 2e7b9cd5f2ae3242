#pragma once
// One stored run in full: what it cost and saved (accuracy dense → pruned → fine-tuned, MACs,
// bytes, theoretical and measured speedup), the per-layer table of channels and weights kept
// with each layer's MACs, and the exact config that reproduces it.

#include "RunStore.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStandardItemModel;
class QTableView;

namespace prunescope {

class RunDetailsView : public QWidget {
    Q_OBJECT
public:
    enum Column { Layer, Kind, Shape, Channels, Weights, Density, DenseMacs, EffectiveMacs, LayerSpeedup, ColumnCount };

    explicit RunDetailsView(QWidget* parent = nullptr);

    void clear();
    // layers: the run's last pruning step (empty for runs that stopped before pruning).
    void setRun(const StoredRun& run, const std::vector<LayerStats>& layers);

    QString headline() const;  // the summary above the table, as plain text
    QTableView* layerTable() const { return m_table; }

private:
    QLabel* m_summary;
    QStandardItemModel* m_layers;
    QTableView* m_table;
    QPlainTextEdit* m_config;
};

}  // namespace prunescope
