#pragma once
// The window's Presets menu: a section per week of the study plan, headed by its date and topic,
// so a presenter opens "their" week in one click.

#include <QMenu>

namespace prunescope {

class PresetMenu : public QMenu {
    Q_OBJECT
public:
    explicit PresetMenu(QWidget* parent = nullptr);

Q_SIGNALS:
    void presetChosen(const QString& id);
};

}  // namespace prunescope
