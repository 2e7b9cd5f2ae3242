#pragma once
// The commands of prunescope-cli, one file each in commands/; each returns the process exit code.
// Their shared parts: CliArguments (parser, config from flags, usage text), ConsoleObserver,
// CliSupport (exit-code mapping, formatting, signals) and StoredRunJson.

#include <string>
#include <vector>

namespace prunescope::cli {

enum ExitCode {
    kOk = 0,
    kRunFailed = 1,  // the experiment started but failed (bad data, divergence, ...)
    kUsage = 2,  // bad command line or config
    kCancelled = 3,  // SIGINT / SIGTERM
    kStorage = 4,  // database problem, or no such run
};

int runCommand(const std::vector<std::string>& args);
int sweepCommand(const std::vector<std::string>& args);
int methodsCommand(const std::vector<std::string>& args);
int modelsCommand(const std::vector<std::string>& args);
int datasetsCommand(const std::vector<std::string>& args);
int listCommand(const std::vector<std::string>& args);
int showCommand(const std::vector<std::string>& args);
int exportCommand(const std::vector<std::string>& args);
int presetsCommand(const std::vector<std::string>& args);
int latencyCommand(const std::vector<std::string>& args);
int deleteCommand(const std::vector<std::string>& args);
int restoreCommand(const std::vector<std::string>& args);
int trashCommand(const std::vector<std::string>& args);
int downloadCommand(const std::vector<std::string>& args);
int recoverCommand(const std::vector<std::string>& args);

const char* usageText();

}  // namespace prunescope::cli
