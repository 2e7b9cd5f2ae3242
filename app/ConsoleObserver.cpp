#include "ConsoleObserver.h"

#include "CliSupport.h"

#include <iomanip>
#include <iostream>

namespace prunescope::cli {

void ConsoleObserver::onProgress(const ProgressEvent& event)
{
    const auto now = std::chrono::steady_clock::now();
    if (event.stage == m_lastStage && now - m_lastPrint < std::chrono::seconds(2) && event.stage != RunStage::Done)
        return;
    m_lastStage = event.stage;
    m_lastPrint = now;
    std::cerr << "[" << std::setw(3) << int(event.overallFraction * 100) << "%] " << event.message << "  ETA "
              << formatDuration(event.etaSeconds) << "\n";
}

void ConsoleObserver::onEpoch(const EpochMetrics& m)
{
    std::cerr << "  " << m.phase << " epoch " << m.epoch << ": train loss " << fixed(m.trainLoss, 4) << ", train acc "
              << fixed(m.trainAccuracy * 100, 2) << " %, val acc " << fixed(m.validationAccuracy * 100, 2) << " %, lr "
              << m.learningRate << "\n";
}

void ConsoleObserver::onPruningStep(const PruningStep& step)
{
    // Layer densities once per pruning step; the replay steps of during-training methods
    // (one per epoch) and run-time densities are summarised by their own log lines.
    if (step.step == 0 || step.metrics.count("epoch") || step.metrics.count("density"))
        return;
    for (const auto& layer : step.layers) {
        std::cerr << "  " << std::left << std::setw(18) << layer.name << std::right << " density "
                  << fixed(layer.density() * 100, 2) << " %" << (layer.pruned ? "" : " (not pruned)") << "\n";
    }
}

void ConsoleObserver::onLog(const std::string& message)
{
    std::cerr << "  " << message << "\n";
}

}  // namespace prunescope::cli
