// libFuzzer target: the experiment config parser (pruning/core/ExperimentConfig), the code
// `prunescope-cli run --config FILE` and stored runs go through. Any bytes either parse or are
// refused with std::invalid_argument (the CLI's exit 2); a config that parses must survive the
// JSON round trip unchanged (toJson is what the database stores and `--print-config` prints).
// A crash, a leak, UB, another exception type or a changed round trip is a finding.
//
// Not here: validateExperiment (pruning/experiment) builds the model and reads the data folder the
// config names, so it needs the whole engine and the disk; it is tested by the CLI and runner
// suites.

#include "FuzzSupport.h"
#include "core/ExperimentConfig.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

using namespace prunescope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    ExperimentConfig config;
    try {
        config = experimentFromJson(text);
    } catch (const std::invalid_argument&) {
        return 0;  // refused with a message: the documented answer
    }
    const std::string stored = toJson(config);
    ExperimentConfig again;
    try {
        again = experimentFromJson(stored);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "stored config refused: %s\n%s\n", e.what(), stored.c_str());
        fuzz::fuzzCheck(false, "a config that parsed reads back from its own JSON");
    }
    fuzz::fuzzCheck(again == config, "a config reads back from its own JSON unchanged");
    fuzz::fuzzCheck(toJson(again) == stored, "the stored JSON of a config is stable");
    return 0;
}
