#include "core/ResultCsv.h"

#include "core/TextFormat.h"

#include <iomanip>
#include <set>
#include <sstream>

namespace prunescope {

std::string epochsCsv(const std::vector<EpochMetrics>& epochs)
{
    std::ostringstream out;
    std::set<std::string> curves;
    for (const auto& m : epochs)
        for (const auto& [name, value] : m.extra)
            curves.insert(name);
    out << "phase,epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_accuracy";
    for (const auto& name : curves)
        out << "," << csvCell(name);
    out << "\n" << std::setprecision(10);
    for (const auto& m : epochs) {
        out << csvCell(m.phase) << "," << m.epoch << "," << m.learningRate << "," << m.trainLoss << ","
            << m.trainAccuracy << "," << m.validationLoss << "," << m.validationAccuracy;
        for (const auto& name : curves) {
            out << ",";
            if (const auto it = m.extra.find(name); it != m.extra.end())
                out << it->second;
        }
        out << "\n";
    }
    return out.str();
}

std::string layersCsv(const std::vector<PruningStep>& steps)
{
    std::ostringstream out;
    out << "step,layer,kind,shape,parameters,nonzeros,density,dense_macs,effective_macs,pruned,channels,"
           "channels_kept\n"
        << std::setprecision(10);
    for (const auto& step : steps) {
        for (const auto& l : step.layers) {
            out << step.step << "," << csvCell(l.name) << "," << l.kind << "," << shapeText(l.shape, "x") << ","
                << l.parameters << "," << l.nonzeros << "," << l.density() << "," << l.denseMacs << ","
                << l.effectiveMacs << "," << (l.pruned ? 1 : 0) << "," << l.channels << "," << l.channelsKept << "\n";
        }
    }
    return out.str();
}

}  // namespace prunescope
