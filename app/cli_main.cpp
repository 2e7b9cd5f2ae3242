// prunescope-cli: runs experiments headless and reads the run database. Qt Core only.
#include "CliCommands.h"
#include "VersionText.h"

#include <QCoreApplication>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace {

int dispatch(const std::string& command, const std::vector<std::string>& args)
{
    using namespace prunescope::cli;
    if (command == "run")
        return runCommand(args);
    if (command == "sweep")
        return sweepCommand(args);
    if (command == "methods")
        return methodsCommand(args);
    if (command == "models")
        return modelsCommand(args);
    if (command == "datasets")
        return datasetsCommand(args);
    if (command == "list")
        return listCommand(args);
    if (command == "show")
        return showCommand(args);
    if (command == "export")
        return exportCommand(args);
    if (command == "presets")
        return presetsCommand(args);
    if (command == "latency")
        return latencyCommand(args);
    if (command == "delete")
        return deleteCommand(args);
    if (command == "restore")
        return restoreCommand(args);
    if (command == "trash")
        return trashCommand(args);
    if (command == "download")
        return downloadCommand(args);
    std::cerr << "prunescope-cli: unknown command '" << command << "'\n\n" << usageText();
    return kUsage;
}

}  // namespace

int main(int argc, char* argv[])
{
    // Qt SQL finds its SQLite driver through the application's plugin paths.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("PruneScope");
    QCoreApplication::setOrganizationName("PruneScope");

    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        std::cout << prunescope::cli::usageText();
        return args.empty() ? prunescope::cli::kUsage : prunescope::cli::kOk;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << prunescope::versionText("prunescope-cli");
        return prunescope::cli::kOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    const int code = dispatch(command, args);
    // What a command printed must have reached its reader: `export --format json > /dev/full`
    // (a full disk, a closed pipe) is a failure, not a success with the output lost.
    errno = 0;
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "prunescope-cli " << command << ": could not write the output"
                  << (errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : std::string()) << "\n";
        return code == prunescope::cli::kOk ? prunescope::cli::kRunFailed : code;
    }
    return code;
}
