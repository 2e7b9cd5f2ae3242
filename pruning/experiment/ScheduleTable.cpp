// The table of schedule drivers. Explicit on purpose: a driver that registered itself from a
// static object would be dropped by the linker from a static library nobody references it in.
#include "experiment/ScheduleDriver.h"

#include <stdexcept>
#include <utility>

namespace prunescope {

std::unique_ptr<ScheduleDriver> makeAfterTrainingDriver();
std::unique_ptr<ScheduleDriver> makePostTrainingDriver();
std::unique_ptr<ScheduleDriver> makeBeforeTrainingDriver();
std::unique_ptr<ScheduleDriver> makeIterativeDriver();
std::unique_ptr<ScheduleDriver> makeDuringTrainingDriver();
std::unique_ptr<ScheduleDriver> makeRunTimeDriver();
std::unique_ptr<ScheduleDriver> makePostTrainingQuantizationDriver();
std::unique_ptr<ScheduleDriver> makeQuantizationAwareTrainingDriver();

namespace {

struct DriverEntry {
    PruningSchedule schedule;
    std::unique_ptr<ScheduleDriver> driver;
};

std::vector<DriverEntry> buildTable()
{
    std::vector<DriverEntry> table;
    table.push_back({PruningSchedule::AfterTraining, makeAfterTrainingDriver()});
    table.push_back({PruningSchedule::PostTraining, makePostTrainingDriver()});
    table.push_back({PruningSchedule::BeforeTraining, makeBeforeTrainingDriver()});
    table.push_back({PruningSchedule::Iterative, makeIterativeDriver()});
    table.push_back({PruningSchedule::DuringTraining, makeDuringTrainingDriver()});
    table.push_back({PruningSchedule::RunTime, makeRunTimeDriver()});
    table.push_back({PruningSchedule::PostTrainingQuantization, makePostTrainingQuantizationDriver()});
    table.push_back({PruningSchedule::QuantizationAwareTraining, makeQuantizationAwareTrainingDriver()});
    return table;
}

}  // namespace

const ScheduleDriver& scheduleDriver(PruningSchedule schedule)
{
    // Drivers keep no state between runs, so one of each serves every run and thread.
    static const std::vector<DriverEntry> table = buildTable();
    for (const auto& entry : table) {
        if (entry.schedule == schedule)
            return *entry.driver;
    }
    throw std::logic_error("no driver for pruning schedule " + std::to_string(int(schedule)));
}

}  // namespace prunescope
