#include "RunsTableModel.h"

#include <algorithm>

#include "core/MethodInfo.h"

#include <QBrush>
#include <QColor>

namespace prunescope {
namespace {

QString taxonomyOf(const std::string& method)
{
    try {
        const Taxonomy& t = methodInfo(method).taxonomy;
        return QString::fromStdString(displayName(t.speedup) + " · " + displayName(t.when) + " · "
                                      + displayName(t.criterion));
    } catch (const std::exception&) {
        return QStringLiteral("–");  // a method of a newer version, or renamed
    }
}

QString bytesText(int64_t bytes)
{
    if (bytes >= 1 << 20)
        return QString::number(double(bytes) / double(1 << 20), 'f', 2) + " MiB";
    return QString::number(double(bytes) / 1024.0, 'f', 1) + " KiB";
}

QString durationText(double seconds)
{
    if (seconds < 90)
        return QString::number(seconds, 'f', 1) + " s";
    if (seconds < 5400)
        return QString::number(seconds / 60, 'f', 1) + " min";
    return QString::number(seconds / 3600, 'f', 1) + " h";
}

}  // namespace

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

namespace {

// The larger relative spread of the two batch-64 latencies a speedup divides, when it says the
// machine was busy; 0 otherwise.
double busySpread(const RunSummary& summary)
{
    double spread = 0;
    for (const char* network : {"dense", "pruned"})
        if (const LatencyMeasurement* latency = summary.latencyOf(network, 64);
            latency && latency->measuredOnBusyMachine())
            spread = std::max(spread, latency->relativeIqr());
    return spread;
}

}  // namespace

QVariant RunsTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_runs.size()))
        return {};
    const StoredRun& run = m_runs[size_t(index.row())];
    const bool finished = run.status == RunStatus::Finished;
    const RunSummary& s = run.summary;
    const double speedup = finished ? s.measuredSpeedup(64) : 0.0;
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Id:
            return qint64(run.id);
        case Name:
            return QString::fromStdString(run.name);
        case Model:
            return QString::fromStdString(modelDisplayName(run.config.model));  // the path is in the tooltip
        case Dataset:
            return QString::fromStdString(run.config.dataset.name);
        case Method:
            return QString::fromStdString(run.config.method);
        case Taxonomy:
            return taxonomyOf(run.config.method);
        case Sparsity:
            return finished ? QString::number(s.sparsity * 100, 'f', 1) + " %" : QString("–");
        case Accuracy:
            return finished ? QString::number(s.testAccuracy * 100, 'f', 2) + " %" : QString("–");
        case DeltaAccuracy:
            return finished ? QString::asprintf("%+.2f pp", (s.testAccuracy - s.denseTestAccuracy) * 100)
                            : QString("–");
        case Compression:
            return finished ? QString::number(s.compressionRatio, 'f', 1) + "×" : QString("–");
        case Nonzeros:
            return finished ? QString::number(s.nonzeros) : QString("–");
        case EffectiveMacs:
            return finished ? QString::number(s.effectiveMacs / 1e6, 'f', 3) + " M" : QString("–");
        case Bytes:
            return finished && s.sparseBytes > 0 ? bytesText(s.sparseBytes) : QString("–");
        case MeasuredSpeedup:
            if (!(speedup > 0))
                return QString("–");
            // Not a fact about the networks when the machine was busy: said in the cell itself.
            return QString::number(speedup, 'f', 2) + (busySpread(s) > 0 ? "× (busy)" : "×");
        case Duration:
            return s.durationSeconds > 0 ? durationText(s.durationSeconds) : QString("–");
        case Status:
            return QString::fromLatin1(statusName(run.status));
        case Started:
            return QString::fromStdString(run.startedAt).replace('T', ' ').remove('Z');
        case Tags:
            return QString::fromStdString(run.tags);
        case Notes:
            return QString::fromStdString(run.notes);
        }
    }
    if (role == Qt::UserRole) {  // the sort key: raw numbers
        switch (index.column()) {
        case Sparsity:
            return finished ? s.sparsity : -1.0;
        case Accuracy:
            return finished ? s.testAccuracy : -1.0;
        case DeltaAccuracy:
            return finished ? s.testAccuracy - s.denseTestAccuracy : -1e9;
        case Compression:
            return finished ? s.compressionRatio : -1.0;
        case Nonzeros:
            return finished ? double(s.nonzeros) : -1.0;
        case EffectiveMacs:
            return finished ? s.effectiveMacs : -1.0;
        case Bytes:
            return finished ? double(s.sparseBytes) : -1.0;
        case MeasuredSpeedup:
            return speedup;
        case Duration:
            return s.durationSeconds;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Tags || index.column() == Notes)
            return tr("Double-click or F2 to edit; saved when you press Enter");
        if (index.column() == MeasuredSpeedup) {
            if (const double spread = busySpread(s); spread > 0)
                return tr("Measured on a busy machine: a latency's spread (interquartile range) was %1 % of its "
                          "median, above %2 %. Measure again on an idle machine (prunescope-cli latency %3) before "
                          "quoting it.")
                    .arg(spread * 100, 0, 'f', 0)
                    .arg(kBusyMachineRelativeIqr * 100, 0, 'f', 0)
                    .arg(run.id);
            return tr("Measured batch-64 latency, dense ÷ pruned network, on the machine that ran it");
        }
        if (!run.errorMessage.empty())
            return QString::fromStdString(run.errorMessage);
        return QString::fromStdString(run.configJson);
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        switch (run.status) {
        case RunStatus::Failed:
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        case RunStatus::Interrupted:
        case RunStatus::Cancelled:
            return QBrush(QColor(0xb9, 0x77, 0x0e));
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Sparsity && index.column() <= Duration)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

Qt::ItemFlags RunsTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Tags || index.column() == Notes))
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool RunsTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= int(m_runs.size())
        || (index.column() != Tags && index.column() != Notes))
        return false;
    StoredRun& run = m_runs[size_t(index.row())];
    const QString text = value.toString().trimmed();
    std::string& field = index.column() == Tags ? run.tags : run.notes;
    if (field == text.toStdString())
        return true;
    field = text.toStdString();
    Q_EMIT dataChanged(index, index);
    Q_EMIT runEdited(run.id, index.column(), text);
    return true;
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    // Short headers keep the numbers on screen; the tooltip says what each one is.
    const bool tip = role == Qt::ToolTipRole;
    switch (section) {
    case Id:
        return tr("Run");
    case Name:
        return tr("Name");
    case Model:
        return tr("Model");
    case Dataset:
        return tr("Dataset");
    case Method:
        return tr("Method");
    case Taxonomy:
        return tip ? tr("Speedup type · when to prune · criterion (the survey's taxonomy)") : tr("Taxonomy");
    case Sparsity:
        return tip ? tr("Fraction of the prunable weights removed") : tr("Sparsity");
    case Accuracy:
        return tip ? tr("Final test accuracy") : tr("Accuracy");
    case DeltaAccuracy:
        return tip ? tr("Final test accuracy minus the dense network's, percentage points") : tr("Δ dense");
    case Compression:
        return tip ? tr("All parameters ÷ non-zero parameters") : tr("Compr.");
    case Nonzeros:
        return tip ? tr("Non-zero parameters of the final network") : tr("Non-zeros");
    case EffectiveMacs:
        return tip ? tr("Multiply-accumulates per image that touch a kept weight") : tr("MACs");
    case Bytes:
        return tip ? tr("Weights stored sparse: bitmap + fp32 non-zeros") : tr("Size");
    case MeasuredSpeedup:
        return tip ? tr("Measured batch-64 latency, dense ÷ pruned, on the machine that ran it") : tr("Speedup");
    case Duration:
        return tip ? tr("Wall-clock time of the whole run") : tr("Time");
    case Status:
        return tr("Status");
    case Started:
        return tr("Started (UTC)");
    case Tags:
        return tip ? tr("Your tags, comma-separated (F2 to edit)") : tr("Tags");
    case Notes:
        return tip ? tr("Your notes (F2 to edit)") : tr("Notes");
    }
    return {};
}

}  // namespace prunescope
