#pragma once
// The Compare tab: accuracy against compression (or MACs, latency, bytes) for the runs selected
// in the Runs tab, or their training curves overlaid (validation accuracy per epoch), the
// selected runs' layers overlaid, and the selection as a table. One selected iterative run is
// drawn round by round, one run-time run density by density.
//
// What the charts need beyond the run list (pruning steps, per-layer statistics, epochs) is read from
// the database on a pool thread, with a RunStore opened there (one connection per thread); the
// charts are drawn when it arrives, and a result for a selection no longer shown is dropped.

#include "RunStore.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QStackedWidget;

namespace prunescope {

class CompareChart;
class LayerOverlayChart;
class RunsTableModel;
class TrainingOverlayChart;

class ComparePage : public QWidget {
    Q_OBJECT
public:
    explicit ComparePage(const QString& databasePath, QWidget* parent = nullptr);
    // File ▸ Open: reads from another database; a read under way for the old one is dropped.
    void setDatabasePath(const QString& databasePath)
    {
        ++m_requested;
        m_databasePath = databasePath;
    }
    ~ComparePage() override;

    // selected: the runs selected in the Runs tab; all: every run listed (compared when fewer
    // than two are selected and the one selected has no rounds or densities of its own).
    void compare(const std::vector<StoredRun>& selected, const std::vector<StoredRun>& all);
    // Whether the charts show the last compare() (false while its steps are being read).
    bool isUpToDate() const { return m_shown == m_requested; }

    CompareChart* chart() const { return m_chart; }
    TrainingOverlayChart* trainingOverlay() const { return m_trainingOverlay; }

Q_SIGNALS:
    // The charts now show the last compare().
    void comparisonShown();
    void logMessage(const QString& message);

private:
    // What was read for one compare() on the pool thread.
    struct StepsRead {
        std::vector<PruningStep> singleRunSteps;  // the one selected run's steps
        std::vector<std::pair<StoredRun, std::vector<LayerStats>>> layered;  // the overlay's runs
        // The selected runs with their epochs, oldest first (the training curves overlaid); those
        // beyond TrainingOverlayChart::kMaxRuns are not read and come without epochs.
        std::vector<std::pair<StoredRun, std::vector<EpochMetrics>>> trained;
        QStringList problems;  // what could not be read
    };
    static StepsRead readSteps(const QString& databasePath, const std::vector<StoredRun>& selected);
    void draw(const std::vector<StoredRun>& selected, const std::vector<StoredRun>& all, const StepsRead& read);
    void drawRuns(std::vector<StoredRun> runs);

    QString m_databasePath;
    quint64 m_requested = 0;  // the last compare()
    quint64 m_shown = 0;  // the compare() the charts show
    CompareChart* m_chart = nullptr;
    TrainingOverlayChart* m_trainingOverlay = nullptr;
    QStackedWidget* m_upperCharts = nullptr;  // the comparison, or the training curves overlaid
    LayerOverlayChart* m_layerOverlay = nullptr;
    RunsTableModel* m_table = nullptr;  // the compared runs
};

}  // namespace prunescope
