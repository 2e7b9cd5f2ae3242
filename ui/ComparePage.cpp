#include "ComparePage.h"

#include "ChartStyle.h"
#include "CompareChart.h"
#include "LayerOverlayChart.h"
#include "RunsTableModel.h"
#include "TrainingOverlayChart.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <iterator>

namespace prunescope {

ComparePage::ComparePage(const QString& databasePath, QWidget* parent) : QWidget(parent), m_databasePath(databasePath)
{
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    auto* xAxisChoice = new QComboBox;
    xAxisChoice->setObjectName("compareAxis");
    xAxisChoice->addItems({tr("Compression"), tr("Effective MACs"), tr("Measured latency (batch 64)"),
                           tr("Size in bytes"), tr("Training curves (validation accuracy per epoch)")});
    controls->addWidget(new QLabel(tr("Accuracy against")));
    controls->addWidget(xAxisChoice);
    auto* hint = new QLabel(tr("· the runs selected in the Runs tab (all when none; one iterative run: round "
                               "by round; one run-time run: density by density)"));
    hint->setWordWrap(true);  // a long hint must not widen the window
    controls->addWidget(hint, 1);
    layout->addLayout(controls);
    m_chart = new CompareChart;
    m_chart->setObjectName("compareChart");
    m_trainingOverlay = new TrainingOverlayChart;
    m_trainingOverlay->setObjectName("trainingOverlay");
    m_upperCharts = new QStackedWidget;
    m_upperCharts->addWidget(m_chart);
    m_upperCharts->addWidget(m_trainingOverlay);
    // Below the curves: the selected runs' layers overlaid, and the selection as a table.
    m_layerOverlay = new LayerOverlayChart;
    m_layerOverlay->setObjectName("layerOverlay");
    // One colour per method in both charts of the tab.
    const auto palette = std::make_shared<SeriesPalette>();
    m_chart->setSeriesPalette(palette);
    m_trainingOverlay->setSeriesPalette(palette);
    m_layerOverlay->setSeriesPalette(palette);
    m_table = new RunsTableModel(this);
    auto* table = new QTableView;
    table->setObjectName("compareTable");
    table->setModel(m_table);
    table->verticalHeader()->hide();
    table->setAlternatingRowColors(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int column : {int(RunsTableModel::Name), int(RunsTableModel::Taxonomy), int(RunsTableModel::Dataset),
                       int(RunsTableModel::Started), int(RunsTableModel::Tags), int(RunsTableModel::Notes),
                       int(RunsTableModel::Status), int(RunsTableModel::Duration)})
        table->setColumnHidden(column, true);
    auto* lower = new QSplitter(Qt::Horizontal);
    lower->setObjectName("compareLowerSplitter");  // named: the window keeps its state
    lower->addWidget(m_layerOverlay);
    lower->addWidget(table);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName("compareSplitter");
    splitter->addWidget(m_upperCharts);
    splitter->addWidget(lower);
    // The comparison is what one came for: it gets most of the height.
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 400});
    layout->addWidget(splitter, 1);
    connect(xAxisChoice, &QComboBox::currentIndexChanged, this, [this](int index) {
        const CompareChart::XAxis axes[] = {CompareChart::XAxis::Compression, CompareChart::XAxis::EffectiveMacs,
                                            CompareChart::XAxis::Latency, CompareChart::XAxis::Bytes};
        // The last choice is not an axis: the selected runs' training curves, in place of the comparison.
        const bool trainingCurves = index == int(std::size(axes));
        m_upperCharts->setCurrentWidget(trainingCurves ? static_cast<QWidget*>(m_trainingOverlay) : m_chart);
        if (!trainingCurves)
            m_chart->setXAxis(axes[std::clamp(index, 0, int(std::size(axes)) - 1)]);
    });
}

ComparePage::~ComparePage()
{
    // A read still under way must not outlive the window's database (tests remove it next).
    for (auto* watcher : findChildren<QFutureWatcherBase*>())
        watcher->waitForFinished();
}

void ComparePage::compare(const std::vector<StoredRun>& selected, const std::vector<StoredRun>& all)
{
    const quint64 request = ++m_requested;
    if (selected.empty()) {  // nothing to read
        draw(selected, all, {});
        return;
    }
    auto* watcher = new QFutureWatcher<StepsRead>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request, selected, all] {
        const StepsRead read = watcher->result();
        watcher->deleteLater();
        if (request != m_requested)
            return;  // the selection changed meanwhile: its own read draws
        for (const QString& problem : read.problems)
            Q_EMIT logMessage(problem);
        draw(selected, all, read);
    });
    watcher->setFuture(QtConcurrent::run(&ComparePage::readSteps, m_databasePath, selected));
}

ComparePage::StepsRead ComparePage::readSteps(const QString& databasePath, const std::vector<StoredRun>& selected)
{
    StepsRead read;
    try {
        // This pool thread's own connection; reading only, so a damaged file can still be read.
        const RunStore store(databasePath, StoreAccess::ReadOnly);
        std::vector<StoredRun> oldestFirst = selected;
        std::sort(oldestFirst.begin(), oldestFirst.end(),
                  [](const StoredRun& a, const StoredRun& b) { return a.id < b.id; });
        for (const auto& run : oldestFirst) {
            if (int(read.trained.size()) >= TrainingOverlayChart::kMaxRuns) {
                read.trained.push_back({run, {}});  // not read: the chart counts it as left out
                continue;
            }
            try {
                read.trained.push_back({run, store.epochs(run.id)});
            } catch (const std::exception& e) {
                read.problems
                    << tr("cannot read the epochs of run %1: %2").arg(run.id).arg(QString::fromStdString(e.what()));
            }
        }
        if (selected.size() == 1) {
            try {
                read.singleRunSteps = store.pruningSteps(selected.front().id, /*withMasks=*/false);
            } catch (const std::exception& e) {
                read.problems << tr("cannot read the steps of run %1: %2")
                                     .arg(selected.front().id)
                                     .arg(QString::fromStdString(e.what()));
            }
            return read;
        }
        for (const auto& run : oldestFirst) {
            if (int(read.layered.size()) == LayerOverlayChart::kMaxRuns)
                break;
            try {
                const auto steps = store.pruningSteps(run.id, /*withMasks=*/false);
                if (!steps.empty())
                    read.layered.push_back({run, steps.back().layers});
            } catch (const std::exception& e) {
                read.problems
                    << tr("cannot read the layers of run %1: %2").arg(run.id).arg(QString::fromStdString(e.what()));
            }
        }
    } catch (const std::exception& e) {
        read.problems << tr("cannot read the run database: %1").arg(QString::fromStdString(e.what()));
    }
    return read;
}

void ComparePage::draw(const std::vector<StoredRun>& selected, const std::vector<StoredRun>& all, const StepsRead& read)
{
    m_shown = m_requested;
    if (selected.empty())
        m_trainingOverlay->clear(tr("Select runs in the Runs tab to overlay their training curves"));
    else
        m_trainingOverlay->setRuns(read.trained);
    if (selected.size() == 1) {
        // One run with several measured steps (an iterative method): show it round by round.
        const StoredRun& run = selected.front();
        const auto& steps = read.singleRunSteps;
        // Run-time pruning: the network executed changes with every input.
        if (std::any_of(steps.begin(), steps.end(),
                        [](const PruningStep& step) { return step.metrics.count("macs_mean") > 0; })) {
            m_chart->setExecutedMacs(run, steps);
            Q_EMIT comparisonShown();
            return;
        }
        const auto measured = std::count_if(steps.begin(), steps.end(), [](const PruningStep& step) {
            return step.metrics.count("test_accuracy") > 0;
        });
        if (measured >= 3) {
            m_chart->setRounds(run, steps);
            Q_EMIT comparisonShown();
            return;
        }
    }
    std::vector<StoredRun> runs;
    if (selected.size() >= 2) {
        runs = selected;
        std::sort(runs.begin(), runs.end(), [](const StoredRun& a, const StoredRun& b) { return a.id < b.id; });
        m_layerOverlay->setRuns(read.layered);
    } else {
        m_layerOverlay->clear(tr("Select two or more runs of one model to overlay their layers"));
        runs = all;
    }
    drawRuns(std::move(runs));
    Q_EMIT comparisonShown();
}

void ComparePage::drawRuns(std::vector<StoredRun> runs)
{
    m_chart->setRuns(runs);
    runs.erase(
        std::remove_if(runs.begin(), runs.end(), [](const StoredRun& r) { return r.status != RunStatus::Finished; }),
        runs.end());
    m_table->setRuns(runs);
}

}  // namespace prunescope
