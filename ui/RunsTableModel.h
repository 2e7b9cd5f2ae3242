#pragma once
// The stored runs as a table: one row per run, numbers as numbers (so sorting by accuracy sorts
// numerically, through Qt::UserRole) and shown formatted. Tags and notes are edited in place;
// the model only reports the edit (runEdited) and the window writes it to the database.

#include "RunStore.h"

#include <QAbstractTableModel>

#include <vector>

namespace prunescope {

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        // The numbers people sort by first; the long descriptive columns at the end.
        Id,
        Name,
        Model,
        Method,
        Sparsity,
        Accuracy,
        DeltaAccuracy,
        MeasuredSpeedup,
        Compression,
        Nonzeros,
        EffectiveMacs,
        Bytes,
        Duration,
        Status,
        Tags,
        Notes,
        Taxonomy,
        Dataset,
        Started,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setRuns(std::vector<StoredRun> runs);
    const StoredRun* runAt(int row) const;
    int rowOfRun(qint64 runId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

Q_SIGNALS:
    // A user edited a run's tags or notes (column Tags or Notes); the model already shows it.
    void runEdited(qint64 runId, int column, const QString& text);

private:
    std::vector<StoredRun> m_runs;
};

}  // namespace prunescope
