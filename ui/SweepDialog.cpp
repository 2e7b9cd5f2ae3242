#include "SweepDialog.h"

#include "core/MethodInfo.h"
#include "core/TextFormat.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace prunescope {
namespace {

bool hasSparsity(const MethodInfo& method)
{
    return std::any_of(method.params.begin(), method.params.end(),
                       [](const ParamSpec& p) { return p.name == "sparsity"; });
}

}  // namespace

SweepDialog::SweepDialog(const ExperimentConfig& base, QWidget* parent)
    : QDialog(parent), m_base(base), m_name(new QLineEdit), m_methods(new QListWidget), m_sparsities(new QLineEdit),
      m_seeds(new QSpinBox), m_count(new QLabel)
{
    setWindowTitle(tr("Sweep"));
    setObjectName("sweepDialog");
    auto* form = new QFormLayout(this);
    m_name->setObjectName("sweepName");
    m_name->setText(tr("%1 sweep").arg(QString::fromStdString(modelDisplayName(base.model))));
    form->addRow(tr("&Name"), m_name);

    m_methods->setObjectName("sweepMethods");
    m_methods->setToolTip(tr("The methods to run; a sweep varies their 'sparsity' parameter, so methods "
                             "without one (structured, run-time) are not listed"));
    for (const MethodInfo& method : methodCatalogue()) {
        if (!hasSparsity(method))
            continue;
        auto* item = new QListWidgetItem(
            QStringLiteral("%1 — %2").arg(QString::fromStdString(method.id), QString::fromStdString(method.card.title)),
            m_methods);
        item->setData(Qt::UserRole, QString::fromStdString(method.id));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(method.id == base.method ? Qt::Checked : Qt::Unchecked);
    }
    form->addRow(tr("&Methods"), m_methods);

    m_sparsities->setObjectName("sweepSparsities");
    m_sparsities->setText(QStringLiteral("0.5, 0.8, 0.9"));
    m_sparsities->setToolTip(tr("Comma-separated fractions of the weights pruned, e.g. 0.5, 0.9, 0.95"));
    form->addRow(tr("&Sparsities"), m_sparsities);

    m_seeds->setObjectName("sweepSeeds");
    m_seeds->setRange(1, 20);
    m_seeds->setValue(3);
    m_seeds->setToolTip(
        tr("Seeds %1, %2, …: the Compare tab shows mean ± sd over them").arg(base.seed).arg(base.seed + 1));
    form->addRow(tr("S&eeds"), m_seeds);

    m_count->setObjectName("sweepCount");
    m_count->setWordWrap(true);
    form->addRow(m_count);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run sweep"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);

    connect(m_methods, &QListWidget::itemChanged, this, &SweepDialog::updateCount);
    connect(m_sparsities, &QLineEdit::textChanged, this, &SweepDialog::updateCount);
    connect(m_seeds, &QSpinBox::valueChanged, this, &SweepDialog::updateCount);
    updateCount();
}

SweepPlan SweepDialog::plan() const
{
    SweepPlan plan;
    plan.name = m_name->text().trimmed().toStdString();
    plan.base = m_base;
    for (int i = 0; i < m_methods->count(); ++i)
        if (m_methods->item(i)->checkState() == Qt::Checked)
            plan.methods.push_back(m_methods->item(i)->data(Qt::UserRole).toString().toStdString());
    for (const auto& item : splitCommaList(m_sparsities->text().toStdString())) {
        bool ok = false;
        const double value = QString::fromStdString(item).toDouble(&ok);
        // A value that is not a number is kept as NaN, so sweepPoints refuses it by name.
        plan.sparsities.push_back(ok ? value : std::numeric_limits<double>::quiet_NaN());
    }
    for (int i = 0; i < m_seeds->value(); ++i)
        plan.seeds.push_back(m_base.seed + uint64_t(i));
    return plan;
}

void SweepDialog::updateCount()
{
    try {
        const auto points = sweepPoints(plan());
        m_count->setText(tr("%n run(s), one after the other; Cancel stops the current run and drops the rest", "",
                            int(points.size())));
    } catch (const std::exception& e) {
        m_count->setText(QString::fromStdString(e.what()));
    }
}

void SweepDialog::accept()
{
    try {
        sweepPoints(plan());
    } catch (const std::exception&) {
        updateCount();  // the reason is shown under the form
        return;
    }
    QDialog::accept();
}

}  // namespace prunescope
