#include "RunDetailsView.h"

#include "core/TextFormat.h"
#include "UiTypes.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTextDocument>
#include <QVBoxLayout>

namespace prunescope {
namespace {

QString macsText(double macs)
{
    return macs >= 1e6 ? QString::number(macs / 1e6, 'f', 2) + " M" : QString::number(macs / 1e3, 'f', 1) + " k";
}

// A number shown formatted and sorted by value.
QStandardItem* numberItem(const QString& text, double value)
{
    auto* item = new QStandardItem(text);
    item->setData(value, Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString latencyLine(const RunSummary& s, int batch)
{
    const LatencyMeasurement* dense = s.latencyOf("dense", batch);
    const LatencyMeasurement* pruned = s.latencyOf("pruned", batch);
    if (!dense || !pruned)
        return {};
    // Each figure with its spread, and a warning where the spread says the machine was busy: a
    // speedup read from such a median is not a fact about the network.
    QString line = QObject::tr("batch %1: %2 → %3 (<b>%4×</b>)")
                       .arg(batch)
                       .arg(QString::fromStdString(latencyText(*dense)).toHtmlEscaped(),
                            QString::fromStdString(latencyText(*pruned)).toHtmlEscaped())
                       .arg(s.measuredSpeedup(batch), 0, 'f', 2);
    if (dense->measuredOnBusyMachine() || pruned->measuredOnBusyMachine())
        line = QStringLiteral("<span style='color:#b35900'>%1</span>").arg(line);
    if (!dense->path.empty())  // each network on its fastest LibTorch deployment path
        line += QObject::tr(" <span style='color:gray'>(dense %1, pruned %2)</span>")
                    .arg(QString::fromStdString(dense->path).toHtmlEscaped(),
                         QString::fromStdString(pruned->path).toHtmlEscaped());
    return line;
}

}  // namespace

RunDetailsView::RunDetailsView(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel), m_layers(new QStandardItemModel(this)), m_table(new QTableView),
      m_config(new QPlainTextEdit)
{
    m_summary->setObjectName("runDetailsSummary");
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layers->setSortRole(Qt::UserRole);
    m_table->setObjectName("runDetailsLayers");
    m_table->setModel(m_layers);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_config->setObjectName("runDetailsConfig");
    m_config->setReadOnly(true);
    m_config->setFont(QFont(QStringLiteral("monospace")));
    m_config->setToolTip(
        tr("The stored config: `prunescope-cli run --config FILE` with it reproduces every number above"));

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_config);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    clear();
}

void RunDetailsView::clear()
{
    m_summary->setText(tr("Double-click a run in the Runs tab (or select it and press Enter) to see its details."));
    m_layers->clear();
    m_config->clear();
}

void RunDetailsView::setRun(const StoredRun& run, const std::vector<LayerStats>& layers)
{
    const RunSummary& s = run.summary;
    QString text
        = tr("<b>Run %1</b> · %2 · %3<br>")
              .arg(run.id)
              .arg(QString::fromStdString(run.name).toHtmlEscaped(), QString::fromLatin1(statusName(run.status)));
    if (run.status == RunStatus::Finished) {
        text
            += tr("Test accuracy: dense %1 % → pruned %2 % → fine-tuned <b>%3 %</b> · sparsity %4 % (%5× compression)%6<br>")
                   .arg(s.denseTestAccuracy * 100, 0, 'f', 2)
                   .arg(s.prunedTestAccuracy * 100, 0, 'f', 2)
                   .arg(s.testAccuracy * 100, 0, 'f', 2)
                   .arg(s.sparsity * 100, 0, 'f', 1)
                   .arg(s.compressionRatio, 0, 'f', 1)
                   .arg(s.structured ? tr(" · channels removed for real") : QString());
        text += tr("MACs per image: %1 → %2 · theoretical speedup <b>%3×</b> · size %4 KiB dense → %5 KiB sparse")
                    .arg(macsText(s.denseMacs), macsText(s.effectiveMacs))
                    .arg(s.theoreticalSpeedup, 0, 'f', 2)
                    .arg(double(s.denseBytes) / 1024, 0, 'f', 1)
                    .arg(double(s.sparseBytes) / 1024, 0, 'f', 1);
        const QString b1 = latencyLine(s, 1), b64 = latencyLine(s, 64);
        if (!b64.isEmpty())
            text += tr("<br>Measured speedup (TorchScript, this CPU, median): %1 · %2").arg(b1, b64);
        else
            text += tr("<br>Measured speedup: not measured for this run (prunescope-cli latency %1 measures it)")
                        .arg(run.id);
    } else if (!run.errorMessage.empty()) {
        text += QString::fromStdString(run.errorMessage).toHtmlEscaped();
    }
    m_summary->setText(text);

    m_layers->clear();
    m_layers->setHorizontalHeaderLabels({tr("Layer"), tr("Kind"), tr("Weight shape"), tr("Channels kept"),
                                         tr("Weights kept"), tr("Density"), tr("Dense MACs"), tr("Effective MACs"),
                                         tr("Layer speedup")});
    for (const auto& layer : layers) {
        QList<QStandardItem*> row;
        auto* name = new QStandardItem(QString::fromStdString(layer.name));
        name->setData(QString::fromStdString(layer.name), Qt::UserRole);
        if (!layer.pruned)
            name->setToolTip(tr("The method left this layer alone"));
        row << name << new QStandardItem(QString::fromStdString(layer.kind))
            << new QStandardItem(shapeText(layer.shape));
        row.back()->setData(double(layer.parameters), Qt::UserRole);
        row << numberItem(layer.channels ? QString("%1 / %2").arg(layer.channelsKept).arg(layer.channels)
                                         : QString("–"),
                          layer.channels ? double(layer.channelsKept) / double(layer.channels) : 1.0);
        row << numberItem(QString("%1 / %2").arg(layer.nonzeros).arg(layer.parameters), double(layer.nonzeros));
        row << numberItem(QString::number(layer.density() * 100, 'f', 1) + " %", layer.density());
        row << numberItem(macsText(layer.denseMacs), layer.denseMacs);
        row << numberItem(macsText(layer.effectiveMacs), layer.effectiveMacs);
        const double speedup = layer.effectiveMacs > 0 ? layer.denseMacs / layer.effectiveMacs : 0.0;
        row << numberItem(speedup > 0 ? QString::number(speedup, 'f', 2) + "×" : QString("∞"), speedup);
        m_layers->appendRow(row);
    }
    m_table->resizeColumnsToContents();
    m_config->setPlainText(QString::fromStdString(run.configJson));
}

QString RunDetailsView::headline() const
{
    QTextDocument document;
    document.setHtml(m_summary->text());
    return document.toPlainText();
}

}  // namespace prunescope
