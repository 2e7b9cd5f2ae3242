#include "core/StudyPlan.h"

#include <stdexcept>

namespace prunescope {

std::string StudyWeek::shortDate() const
{
    return date.size() == 10 ? date.substr(5, 2) + "/" + date.substr(8, 2) : date;
}

const std::vector<StudyWeek>& studyPlan()
{
    using A = Approach;
    using W = WhenToPrune;
    // The plan's table: the first three weeks are the survey's speedup axis, the rest its "when
    // to prune" axis with the families within it.
    static const std::vector<StudyWeek> weeks = {
        {1, "2025-03-12", "Unstructured pruning", "Unstructured", Speedup::Unstructured, {}, {}},
        {2, "2025-03-19", "Structured pruning", "Structured", Speedup::Structured, {}, {}},
        {3, "2025-04-02", "Semi-structured pruning", "Semi-structured", Speedup::SemiStructured, {}, {}},
        {4, "2025-04-09", "Pruning before training", "Before training", {}, W::BeforeTraining, {}},
        {5,
         "2025-04-16",
         "Sparsity-regularization based methods",
         "During training",
         {},
         W::DuringTraining,
         A::SparsityRegularisation},
        {6,
         "2025-04-23",
         "Dynamic sparse training based methods",
         "During training",
         {},
         W::DuringTraining,
         A::DynamicSparseTraining},
        {7, "2025-05-07", "Score-based methods", "During training", {}, W::DuringTraining, A::ScoreBased},
        {8,
         "2025-05-14",
         "Differentiable pruning based methods",
         "During training",
         {},
         W::DuringTraining,
         A::DifferentiablePruning},
        {9, "2025-05-21", "LTH and its variants", "After training", {}, W::AfterTraining, A::LotteryTicket},
        {10, "2025-05-28", "Other score-based methods", "After training", {}, W::AfterTraining, A::ScoreBased},
        {11,
         "2025-06-04",
         "Sparsity-regularization based methods",
         "After training",
         {},
         W::AfterTraining,
         A::SparsityRegularisation},
        {12, "2025-06-11", "Pruning in early training", "After training", {}, W::AfterTraining, A::EarlyTraining},
        {13, "2025-06-18", "Post-training pruning", "After training", {}, W::AfterTraining, A::PostTraining},
        {14, "2025-06-25", "Run-time pruning", "Run-time", {}, W::RunTime, {}},
        // The next season fuses pruning with quantization (issue 16): any trained network, its
        // weights and activations on integer grids, without and with retraining.
        {15, "2025-07-02", "Quantization", "Fusion", {}, {}, {}, Fusion::Quantization},
    };
    return weeks;
}

const StudyWeek& studyWeek(int number)
{
    const auto& weeks = studyPlan();
    if (number < 1 || number > int(weeks.size()))
        throw std::out_of_range("the study plan has weeks 1 to " + std::to_string(weeks.size()) + ", not "
                                + std::to_string(number));
    return weeks[size_t(number - 1)];
}

bool methodFitsWeek(const MethodInfo& method, const StudyWeek& week)
{
    const Taxonomy& t = method.taxonomy;
    return (!week.speedup || t.speedup == *week.speedup) && (!week.when || t.when == *week.when)
        && (!week.approach || t.approach == *week.approach) && (!week.fusion || t.fusion == *week.fusion);
}

}  // namespace prunescope
