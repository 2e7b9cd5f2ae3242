// Global magnitude pruning at 90 % of VGG-16-BN's (CIFAR) prunable weights, side by side with
// torch.nn.utils.prune.global_unstructured on the same layer shapes when Debian's python3-torch is
// installed: the two are measured in turns (C++, then Python, round after round) so a busy machine
// slows both alike. Prints medians, min and max and the ratio (issue 18, "Pruning in milliseconds").
// Run: build/dev/tests/benchmarks/bench_pruning [ROUNDS]
#include "core/MethodInfo.h"
#include "criteria/Magnitude.h"
#include "data/Dataset.h"
#include "methods/PruningMethod.h"
#include "models/Models.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace prunescope;

namespace {

struct Spread {
    double median = 0, min = 0, max = 0;
};

Spread spreadOf(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    return {median, values.front(), values.back()};
}

const char* kPythonTimer = R"(
import sys, time, torch
import torch.nn.utils.prune as prune
torch.set_num_threads(int(sys.argv[2]))
torch.manual_seed(1)
modules = []
for line in open(sys.argv[1]):
    shape = [int(x) for x in line.split()]
    m = torch.nn.Module()
    m.weight = torch.nn.Parameter(torch.randn(*shape))
    modules.append(m)
start = time.perf_counter()
prune.global_unstructured([(m, "weight") for m in modules], pruning_method=prune.L1Unstructured, amount=0.9)
print(time.perf_counter() - start)
)";

bool pythonTorchAvailable()
{
    return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
}

double runPythonOnce(const std::filesystem::path& script, const std::filesystem::path& shapes, int threads)
{
    const std::string command
        = "/usr/bin/python3 " + script.string() + " " + shapes.string() + " " + std::to_string(threads);
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return -1;
    char line[128] = {};
    const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
    const int status = pclose(pipe);
    return read && status == 0 ? std::atof(line) : -1;
}

}  // namespace

int main(int argc, char** argv)
{
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const int threads = torch::get_num_threads();
    torch::manual_seed(1);
    auto model = createModel("vgg16_bn", DataShape{3, 32, 32, 10});
    int64_t weights = 0;
    const auto dir = std::filesystem::temp_directory_path() / "prunescope-bench-pruning";
    std::filesystem::create_directories(dir);
    const auto shapes = dir / "shapes.txt";
    const auto script = dir / "global_prune.py";
    {
        std::ofstream out(shapes);
        for (const PrunableLayer& layer : model->prunableLayers()) {
            weights += layer.weight.numel();
            for (const int64_t size : layer.shape())
                out << size << ' ';
            out << '\n';
        }
        std::ofstream(script) << kPythonTimer;
    }
    const bool withPython = pythonTorchAvailable();
    const ParamMap params = resolveParams(methodInfo("global_magnitude"), {{"sparsity", 0.9}});
    DataSplits none;
    auto method = createPruningMethod("global_magnitude");
    std::vector<double> ours, theirs;
    for (int round = 0; round < rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        const MaskSet masks = method->computeMasks({*model, params, none, 1});
        ours.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (masks.empty())
            return 1;
        if (withPython) {
            const double seconds = runPythonOnce(script, shapes, threads);
            if (seconds > 0)
                theirs.push_back(seconds);
        }
    }
    // Where the time goes: the selection over one flat buffer of the same size.
    std::vector<double> selection;
    const torch::Tensor flat = torch::rand({weights});
    for (int round = 0; round < rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        const torch::Tensor mask = maskLowest(flat, pruneCount(0.9, weights));
        selection.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (mask.numel() != weights)
            return 1;
    }
    const Spread a = spreadOf(ours);
    const Spread s = spreadOf(selection);
    std::printf("global magnitude 90 %% over %lld weights (vgg16_bn, 3x32x32), %d threads, %d rounds\n",
                static_cast<long long>(weights), threads, rounds);
    std::printf("  prunescope   median %.3f s  (min %.3f, max %.3f)\n", a.median, a.min, a.max);
    std::printf("  of which the 90 %% selection over one flat buffer: median %.3f s  (min %.3f, max %.3f)\n", s.median,
                s.min, s.max);
    if (!theirs.empty()) {
        const Spread b = spreadOf(theirs);
        std::printf("  torch.nn.utils.prune.global_unstructured  median %.3f s  (min %.3f, max %.3f)\n", b.median,
                    b.min, b.max);
        std::printf("  ratio (PyTorch / PruneScope, medians): %.1fx\n", b.median / a.median);
    } else {
        std::printf("  (python3-torch not installed: no PyTorch anchor)\n");
    }
    return 0;
}
