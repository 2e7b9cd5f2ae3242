#pragma once
// Sets up a sweep from the current setup: the methods (those with a 'sparsity' parameter, the
// current one checked), the sparsities and the number of seeds; model, data and recipes are the
// setup's. The same sweep as `prunescope-cli sweep --methods … --sparsities … --seeds …`.

#include "SweepRecording.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace prunescope {

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    explicit SweepDialog(const ExperimentConfig& base, QWidget* parent = nullptr);

    // The plan as the form says; check it with sweepPoints() (the dialog's OK does).
    SweepPlan plan() const;

    QListWidget* methodList() const { return m_methods; }
    QLineEdit* sparsitiesField() const { return m_sparsities; }
    QSpinBox* seedsField() const { return m_seeds; }

    void accept() override;

private:
    void updateCount();

    ExperimentConfig m_base;
    QLineEdit* m_name = nullptr;
    QListWidget* m_methods = nullptr;
    QLineEdit* m_sparsities = nullptr;
    QSpinBox* m_seeds = nullptr;
    QLabel* m_count = nullptr;  // "12 runs", or why the plan cannot run
};

}  // namespace prunescope
