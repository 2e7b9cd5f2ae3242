#include "LiveRunPanel.h"

#include "RunController.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace prunescope {

LiveRunPanel::LiveRunPanel(QWidget* parent)
    : QWidget(parent), m_runButton(new QPushButton(tr("&Run"))), m_cancelButton(new QPushButton(tr("Cancel"))),
      m_progress(new QProgressBar), m_stageLabel(new QLabel(tr("Idle"))), m_summaryLabel(new QLabel)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* progressRow = new QHBoxLayout;
    // Run and Cancel sit beside the progress they control, always in view.
    m_runButton->setObjectName("runButton");
    m_runButton->setDefault(true);
    m_runButton->setToolTip(tr("Train (or reuse the cached dense model), prune, fine-tune and store the run (Ctrl+R)"));
    m_cancelButton->setObjectName("cancelButton");
    m_cancelButton->setToolTip(tr("Stop the run after the current batch (Esc)"));
    connect(m_runButton, &QPushButton::clicked, this, &LiveRunPanel::runClicked);
    connect(m_cancelButton, &QPushButton::clicked, this, &LiveRunPanel::cancelClicked);
    progressRow->addWidget(m_runButton);
    progressRow->addWidget(m_cancelButton);
    m_progress->setObjectName("progressBar");
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat("%p%");
    m_stageLabel->setObjectName("stageLabel");
    m_stageLabel->setMinimumWidth(320);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_stageLabel);
    layout->addLayout(progressRow);
    m_summaryLabel->setObjectName("summaryLabel");
    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summaryLabel);
    setRunning(false);
}

void LiveRunPanel::follow(const RunController& controller)
{
    connect(&controller, &RunController::runningChanged, this, &LiveRunPanel::setRunning);
    connect(&controller, &RunController::progress, this, [this](const ProgressEvent& event) {
        m_progress->setValue(int(event.overallFraction * 1000));
        m_stageLabel->setText(
            QStringLiteral("%1 · ETA %2").arg(QString::fromStdString(event.message), formatEta(event.etaSeconds)));
    });
    connect(&controller, &RunController::finished, this, &LiveRunPanel::showFinished);
    connect(&controller, &RunController::cancelled, this, [this] { m_stageLabel->setText(tr("Cancelled")); });
    connect(&controller, &RunController::failed, this, [this] { m_stageLabel->setText(tr("Failed")); });
    setRunning(controller.isRunning());
}

void LiveRunPanel::setRunning(bool running)
{
    m_runButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
}

void LiveRunPanel::showStarting()
{
    m_summaryLabel->clear();
    m_progress->setValue(0);
    m_stageLabel->setText(tr("Starting…"));
}

void LiveRunPanel::showCancelling()
{
    m_stageLabel->setText(tr("Cancelling after the current batch…"));
    m_cancelButton->setEnabled(false);
}

void LiveRunPanel::showSweepEnded(const QString& status, int finished, int stored)
{
    if (status == QLatin1String("finished"))
        m_progress->setValue(1000);
    m_stageLabel->setText(status == QLatin1String("finished")        ? tr("Sweep finished")
                              : status == QLatin1String("cancelled") ? tr("Sweep cancelled")
                                                                     : tr("Sweep failed"));
    m_summaryLabel->setText(tr("<b>Sweep:</b> %1 of %2 stored run(s) finished; the Compare tab shows them "
                               "(mean ± sd over seeds)")
                                .arg(finished)
                                .arg(stored));
}

void LiveRunPanel::setSummary(const QString& html)
{
    m_summaryLabel->setText(html);
}

void LiveRunPanel::showFinished(qint64 runId, const RunSummary& s)
{
    m_progress->setValue(1000);
    m_stageLabel->setText(tr("Finished"));
    m_summaryLabel->setText(
        tr("<b>Run %1:</b> test accuracy <b>%2 %</b> (dense %3 %, right after pruning %4 %) · sparsity %5 % · "
           "compression %6× · effective MACs %7 M of %8 M (theoretical speedup %9×)")
            .arg(runId)
            .arg(s.testAccuracy * 100, 0, 'f', 2)
            .arg(s.denseTestAccuracy * 100, 0, 'f', 2)
            .arg(s.prunedTestAccuracy * 100, 0, 'f', 2)
            .arg(s.sparsity * 100, 0, 'f', 1)
            .arg(s.compressionRatio, 0, 'f', 1)
            .arg(s.effectiveMacs / 1e6, 0, 'f', 3)
            .arg(s.denseMacs / 1e6, 0, 'f', 3)
            .arg(s.theoreticalSpeedup, 0, 'f', 1));
}

}  // namespace prunescope
