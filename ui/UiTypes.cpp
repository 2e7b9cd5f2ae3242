#include "UiTypes.h"

#include "core/TextFormat.h"

#include <QStringList>

#include <cmath>

namespace prunescope {

void registerUiMetaTypes()
{
    qRegisterMetaType<ExperimentConfig>();
    qRegisterMetaType<ProgressEvent>();
    qRegisterMetaType<EpochMetrics>();
    qRegisterMetaType<PruningStep>();
    qRegisterMetaType<RunSummary>();
}

QString shapeText(const std::vector<int64_t>& shape)
{
    return QString::fromStdString(prunescope::shapeText(shape, " × "));
}

QString runsText(qsizetype count)
{
    return count == 1 ? QStringLiteral("1 run") : QStringLiteral("%1 runs").arg(count);
}

QString formatEta(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("estimating…");
    const auto total = qint64(std::llround(seconds));
    if (total >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(total / 3600)
            .arg((total / 60) % 60, 2, 10, QChar('0'))
            .arg(total % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
}

}  // namespace prunescope
