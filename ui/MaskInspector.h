#pragma once
// The mask inspector: a stored run's layers at any pruning step (shape, density, kept
// channels), the selected layer's mask as a heatmap, optionally coloured by |w| (the dense
// network's at step 0, the final network's after pruning), a second run or step beside it (SNIP
// vs magnitude on the same layer), and the histogram of the layer's weights before and after.

#include "experiment/StoredRun.h"
#include "RunStore.h"

#include <QWidget>

#include <functional>
#include <map>
#include <memory>

class QCheckBox;
class QChartView;
class QComboBox;
class QLabel;
class QStandardItemModel;
class QTableView;

namespace prunescope {

class ElidedLabel;
class MaskHeatmap;
class WeightHistogramChart;

class MaskInspector : public QWidget {
    Q_OBJECT
public:
    enum Column { Layer, Shape, Density, Channels, ColumnCount };

    explicit MaskInspector(QWidget* parent = nullptr);

    // Reads a checkpoint's layers; throws std::runtime_error naming the file. loadLayerWeights()
    // unless replaced (tests hand in weights without writing LibTorch checkpoints).
    using WeightLoader = std::function<std::vector<LayerWeights>(const std::string& checkpoint)>;

    // The inspector shares the store: whoever handed it in may drop its own reference (the
    // window does when the runs list cannot be read) without leaving the inspector a dangling one.
    void setStore(std::shared_ptr<const RunStore> store) { m_store = std::move(store); }
    void setWeightLoader(WeightLoader loader) { m_loadWeights = std::move(loader); }
    void setRun(qint64 runId);
    // 0: no second pane. A run that cannot be read leaves no second pane, and the reason beside it.
    void setCompareRun(qint64 runId);
    // The runs the second pane can show, offered by name (the window passes the stored runs).
    void setRunChoices(const std::vector<StoredRun>& runs);
    void setStep(int stepIndex);  // index into the run's steps (0 = dense)
    void selectLayer(const QString& name);
    void setColourByMagnitude(bool on);

    qint64 runId() const { return m_runId; }
    QTableView* layerTable() const { return m_table; }
    MaskHeatmap* heatmap() const { return m_heatmap; }
    MaskHeatmap* compareHeatmap() const { return m_compareHeatmap; }
    WeightHistogramChart* histogram() const { return m_histogram; }
    QString selectedLayer() const { return m_layer; }
    int histogramCount() const { return m_histogramCount; }  // weights counted "after"
    int histogramBeforeCount() const { return m_histogramBeforeCount; }  // weights counted "before"
    QString histogramProblem() const { return m_histogramProblem; }  // why a side is missing
    void fitHeatmaps();

Q_SIGNALS:
    // A run's networks have been read (on a pool thread) and the panes redrawn with them; also
    // when reading failed, with the reason in histogramProblem().
    void weightsLoaded(qint64 runId);

private:
    // A run's networks, read in the background (or why one could not be read).
    struct LoadedWeights {
        std::map<std::string, LayerWeights> weights;  // final network, by layer
        QString weightsProblem;
        std::map<std::string, LayerWeights> dense;  // dense network, by layer
        QString denseProblem;
    };
    struct Side : LoadedWeights {
        qint64 runId = 0;
        int generation = 0;  // which load this side shows; a late reader of an older one is ignored
        std::vector<PruningStep> steps;
    };
    // Reads the run's steps now and its networks' weights in the background.
    bool load(qint64 runId, Side& side);
    void showLayers();
    void showHeatmaps();
    void showHistogram();
    void paint(const Side& side, int stepIndex, MaskHeatmap* target);

    std::shared_ptr<const RunStore> m_store;
    qint64 m_runId = 0;
    Side m_main, m_compare;
    QString m_layer;
    int m_histogramCount = 0;
    int m_histogramBeforeCount = 0;
    QString m_histogramProblem;
    WeightLoader m_loadWeights;
    int m_generation = 0;

    ElidedLabel* m_title;
    QComboBox* m_step;
    QCheckBox* m_magnitude;
    QComboBox* m_compareRun;  // "none", then the runs by name
    QComboBox* m_compareStep;
    QStandardItemModel* m_layers;
    QTableView* m_table;
    MaskHeatmap* m_heatmap;
    MaskHeatmap* m_compareHeatmap;
    QLabel* m_caption;  // which run, layer and step each pane shows
    QLabel* m_compareCaption;
    QLabel* m_hover;
    WeightHistogramChart* m_histogram;
    QLabel* m_histogramNote;  // which side of the histogram is missing, and why
};

}  // namespace prunescope
