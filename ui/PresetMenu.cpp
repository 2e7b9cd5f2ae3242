#include "PresetMenu.h"

#include "core/ExperimentPresets.h"

namespace prunescope {

PresetMenu::PresetMenu(QWidget* parent) : QMenu(tr("&Presets"), parent)
{
    setObjectName("presetMenu");
    setToolTipsVisible(true);
    // One submenu per week: fourteen sections of two or three entries would not fit a laptop's
    // screen height in one column.
    for (const StudyWeek& week : studyPlan()) {
        QMenu* weekMenu
            = addMenu(tr("Week %1 · %2 · %3")
                          .arg(week.number)
                          .arg(QString::fromStdString(week.shortDate()), QString::fromStdString(week.topic)));
        weekMenu->setObjectName(QStringLiteral("presetWeek%1").arg(week.number));
        weekMenu->setToolTipsVisible(true);
        weekMenu->addSection(QString::fromStdString(week.category));
        for (const ExperimentPreset* preset : presetsOfWeek(week.number)) {
            QAction* action = weekMenu->addAction(QString::fromStdString(preset->summary));
            action->setData(QString::fromStdString(preset->id));
            // The card: what it runs, and for a paper's setup the paper's figures and recipe beside
            // the laptop budget.
            action->setToolTip(QString::fromStdString(preset->id + "\n" + presetCard(*preset)));
            connect(action, &QAction::triggered, this,
                    [this, id = QString::fromStdString(preset->id)] { Q_EMIT presetChosen(id); });
        }
    }
}

}  // namespace prunescope
