#include "MethodParameterForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

#include <cmath>

namespace prunescope {
namespace {

double asDouble(const ParamValue& value)
{
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    if (const auto* i = std::get_if<int64_t>(&value))
        return double(*i);
    return 0;
}

QString labelFor(const std::string& name)
{
    QString label = QString::fromStdString(name).replace('_', ' ');
    label[0] = label[0].toUpper();
    return label;
}

}  // namespace

MethodParameterForm::MethodParameterForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    // In a narrow setup pane a field goes below its label instead of being cut off.
    m_layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void MethodParameterForm::setMethod(const MethodInfo& method, const ParamMap& values)
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_editors.clear();
    m_specs = method.params;
    for (const auto& spec : m_specs) {
        auto it = values.find(spec.name);
        const ParamValue value = it != values.end() ? it->second : spec.defaultValue;
        QWidget* editor = nullptr;
        switch (spec.type) {
        case ParamType::Double: {
            auto* box = new QDoubleSpinBox(this);
            // Enough decimals for the smallest meaningful value (penalties like λ = 1e-4 would
            // otherwise round to 0), and a step of that size.
            double smallest = 1.0;
            for (const double v : {std::abs(asDouble(spec.defaultValue)), std::abs(spec.minimum)})
                if (v > 0)
                    smallest = std::min(smallest, v);
            const int decimals = std::clamp(int(std::ceil(-std::log10(smallest))) + 2, 3, 8);
            box->setDecimals(decimals);
            box->setRange(spec.minimum, spec.maximum);
            box->setSingleStep(smallest < 0.01 ? smallest : (spec.maximum - spec.minimum > 10 ? 1.0 : 0.05));
            box->setValue(asDouble(value));
            connect(box, &QDoubleSpinBox::valueChanged, this, &MethodParameterForm::changed);
            editor = box;
            break;
        }
        case ParamType::Int: {
            auto* box = new QSpinBox(this);
            box->setRange(int(spec.minimum), int(spec.maximum));
            box->setValue(int(asDouble(value)));
            connect(box, &QSpinBox::valueChanged, this, &MethodParameterForm::changed);
            editor = box;
            break;
        }
        case ParamType::Bool: {
            auto* box = new QCheckBox(this);
            box->setChecked(std::holds_alternative<bool>(value) && std::get<bool>(value));
            connect(box, &QCheckBox::toggled, this, &MethodParameterForm::changed);
            editor = box;
            break;
        }
        case ParamType::String: {
            if (!spec.choices.empty()) {
                auto* combo = new QComboBox(this);
                combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
                combo->setMinimumContentsLength(8);
                for (const auto& choice : spec.choices)
                    combo->addItem(QString::fromStdString(choice));
                combo->setCurrentText(QString::fromStdString(paramToString(value)));
                connect(combo, &QComboBox::currentTextChanged, this, &MethodParameterForm::changed);
                editor = combo;
                break;
            }
            auto* edit = new QLineEdit(this);
            edit->setText(QString::fromStdString(paramToString(value)));
            connect(edit, &QLineEdit::textChanged, this, &MethodParameterForm::changed);
            editor = edit;
            break;
        }
        }
        editor->setObjectName(QStringLiteral("param_%1").arg(QString::fromStdString(spec.name)));
        editor->setToolTip(QString::fromStdString(spec.help));
        m_layout->addRow(labelFor(spec.name), editor);
        m_editors[spec.name] = editor;
    }
}

ParamMap MethodParameterForm::values() const
{
    ParamMap values;
    for (const auto& spec : m_specs) {
        QWidget* editor = m_editors.at(spec.name);
        switch (spec.type) {
        case ParamType::Double:
            values[spec.name] = static_cast<QDoubleSpinBox*>(editor)->value();
            break;
        case ParamType::Int:
            values[spec.name] = int64_t(static_cast<QSpinBox*>(editor)->value());
            break;
        case ParamType::Bool:
            values[spec.name] = static_cast<QCheckBox*>(editor)->isChecked();
            break;
        case ParamType::String:
            if (auto* combo = qobject_cast<QComboBox*>(editor))
                values[spec.name] = combo->currentText().toStdString();
            else
                values[spec.name] = static_cast<QLineEdit*>(editor)->text().toStdString();
            break;
        }
    }
    return values;
}

}  // namespace prunescope
