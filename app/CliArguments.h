#pragma once
// prunescope-cli's command line: a small parser (--name value, --name=value, --flag and
// positionals; unknown options are errors) and the experiment config the run options describe.

#include "core/ExperimentConfig.h"

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace prunescope::cli {

// A bad command line or config: the command prints it and exits with kUsage.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A small parser: --name value, --flag, and positionals; unknown options are errors.
struct ParsedArgs {
    std::map<std::string, std::vector<std::string>> options;
    std::set<std::string> flags;
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return options.count(name) || flags.count(name); }
    std::string value(const std::string& name, const std::string& fallback = {}) const
    {
        auto it = options.find(name);
        return it == options.end() ? fallback : it->second.back();
    }
};

ParsedArgs parseArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                     const std::set<std::string>& flagOptions);

// The whole text must be the number: "0.5x" or "" is a UsageError naming the option.
template <typename T>
T parseNumber(const std::string& option, const std::string& text)
{
    std::istringstream in(text);
    T value{};
    in >> value;
    if (!in || !in.eof())
        throw UsageError("option --" + option + ": '" + text + "' is not a valid number");
    return value;
}

// The one positional of show/export: a run id.
int64_t parseRunId(const ParsedArgs& args, const char* command);

// The dataset options run and sweep share (configFromArgs reads them).
inline const std::set<std::string> kDatasetValueOptions
    = {"dataset", "data", "cifar-labels", "resize", "test-fraction", "unreadable-images", "train-limit", "test-limit"};
inline const std::set<std::string> kDatasetFlagOptions = {"augment", "no-augment"};
// `options` with `more` added.
std::set<std::string> withOptions(std::set<std::string> options, const std::set<std::string>& more);

// The experiment the options describe: the default, or --config FILE, or --preset ID, with the
// flags (--model, --method, --sparsity, --param NAME=VALUE, --epochs, ...) on top.
ExperimentConfig configFromArgs(const ParsedArgs& args);

}  // namespace prunescope::cli
