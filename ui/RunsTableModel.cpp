#include "RunsTableModel.h"

#include <QBrush>
#include <QColor>

namespace prunescope {

void RunsTableModel::setRuns(std::vector<StoredRun> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

const StoredRun* RunsTableModel::runAt(int row) const
{
    return row >= 0 && row < int(m_runs.size()) ? &m_runs[size_t(row)] : nullptr;
}

int RunsTableModel::rowOfRun(qint64 runId) const
{
    for (size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].id == runId)
            return int(i);
    }
    return -1;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_runs.size()))
        return {};
    const StoredRun& run = m_runs[size_t(index.row())];
    const bool finished = run.status == RunStatus::Finished;
    const RunSummary& s = run.summary;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id: return qint64(run.id);
        case Name: return QString::fromStdString(run.name);
        case Model: return QString::fromStdString(run.config.model);
        case Method: return QString::fromStdString(run.config.method);
        case Sparsity: return finished ? QString::number(s.sparsity * 100, 'f', 1) + " %" : QString("–");
        case Accuracy: return finished ? QString::number(s.testAccuracy * 100, 'f', 2) + " %" : QString("–");
        case DeltaAccuracy:
            return finished ? QString::asprintf("%+.2f pp", (s.testAccuracy - s.denseTestAccuracy) * 100) : QString("–");
        case Compression: return finished ? QString::number(s.compressionRatio, 'f', 1) + "×" : QString("–");
        case EffectiveMacs:
            return finished ? QString::number(s.effectiveMacs / 1e6, 'f', 3) + " M" : QString("–");
        case Status: return QString::fromLatin1(statusName(run.status));
        case Started: return QString::fromStdString(run.startedAt).replace('T', ' ').remove('Z');
        }
    }
    if (role == Qt::UserRole) {  // the sort key: raw numbers
        switch (index.column()) {
        case Sparsity: return finished ? s.sparsity : -1.0;
        case Accuracy: return finished ? s.testAccuracy : -1.0;
        case DeltaAccuracy: return finished ? s.testAccuracy - s.denseTestAccuracy : -1e9;
        case Compression: return finished ? s.compressionRatio : -1.0;
        case EffectiveMacs: return finished ? s.effectiveMacs : -1.0;
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole) {
        if (!run.errorMessage.empty())
            return QString::fromStdString(run.errorMessage);
        return QString::fromStdString(run.configJson);
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        switch (run.status) {
        case RunStatus::Failed: return QBrush(QColor(0xc0, 0x39, 0x2b));
        case RunStatus::Interrupted:
        case RunStatus::Cancelled: return QBrush(QColor(0xb9, 0x77, 0x0e));
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Sparsity && index.column() <= EffectiveMacs)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("Run");
    case Name: return tr("Name");
    case Model: return tr("Model");
    case Method: return tr("Method");
    case Sparsity: return tr("Sparsity");
    case Accuracy: return tr("Test accuracy");
    case DeltaAccuracy: return tr("Δ vs dense");
    case Compression: return tr("Compression");
    case EffectiveMacs: return tr("Eff. MACs");
    case Status: return tr("Status");
    case Started: return tr("Started (UTC)");
    }
    return {};
}

}  // namespace prunescope
