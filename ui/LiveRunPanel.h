#pragma once
// Above the tabs, always in view: Run and Cancel beside the progress they control, the stage
// with its ETA, and the summary of the run just finished (or of the stored run shown).

#include "UiTypes.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace prunescope {

class RunController;

class LiveRunPanel : public QWidget {
    Q_OBJECT
public:
    explicit LiveRunPanel(QWidget* parent = nullptr);

    // Follows the controller's runs: progress, stage, summary and which button is enabled.
    void follow(const RunController& controller);
    // A run was queued: everything of the previous one is cleared.
    void showStarting();
    void showCancelling();
    // A sweep ended ("finished", "cancelled", "failed") with `finished` of its `stored` runs finished.
    void showSweepEnded(const QString& status, int finished, int stored);
    void setSummary(const QString& html);

Q_SIGNALS:
    void runClicked();
    void cancelClicked();

private:
    void setRunning(bool running);
    void showFinished(qint64 runId, const RunSummary& summary);

    QPushButton* m_runButton;
    QPushButton* m_cancelButton;
    QProgressBar* m_progress;
    QLabel* m_stageLabel;
    QLabel* m_summaryLabel;
};

}  // namespace prunescope
