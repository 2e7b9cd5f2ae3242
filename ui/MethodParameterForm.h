#pragma once
// A parameter form generated from a method's schema: a spin box per number (its range
// enforced as you type), a check box per flag, a line edit per text.

#include "core/MethodInfo.h"

#include <QWidget>

#include <map>

class QFormLayout;

namespace prunescope {

class MethodParameterForm : public QWidget {
    Q_OBJECT
public:
    explicit MethodParameterForm(QWidget* parent = nullptr);

    void setMethod(const MethodInfo& method, const ParamMap& values);
    ParamMap values() const;

Q_SIGNALS:
    void changed();

private:
    QFormLayout* m_layout;
    std::vector<ParamSpec> m_specs;
    std::map<std::string, QWidget*> m_editors;
};

}  // namespace prunescope
