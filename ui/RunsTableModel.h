#pragma once
// The stored runs as a table: one row per run, newest first, numbers as numbers (so sorting
// by accuracy sorts numerically) and shown formatted.

#include "RunStore.h"

#include <QAbstractTableModel>

#include <vector>

namespace prunescope {

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Name, Model, Method, Sparsity, Accuracy, DeltaAccuracy, Compression, EffectiveMacs, Status, Started, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setRuns(std::vector<StoredRun> runs);
    const StoredRun* runAt(int row) const;
    int rowOfRun(qint64 runId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<StoredRun> m_runs;
};

}  // namespace prunescope
