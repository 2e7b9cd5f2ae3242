#include "CliCommands.h"

#include "CliArguments.h"
#include "CliSupport.h"
#include "core/DatasetCatalogue.h"
#include "download/DatasetDownload.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace prunescope::cli {
namespace {

std::string downloadableIds()
{
    std::string ids;
    for (const auto& dataset : knownDatasets()) {
        if (!dataset.downloads.empty())
            ids += (ids.empty() ? "" : ", ") + dataset.id;
    }
    return ids;
}

std::string megabytes(int64_t bytes)
{
    return fixed(double(bytes) / 1e6, 1);
}

// "cifar-10-binary.tar.gz  42 %  68.1 / 170.1 MB  ETA 1:23". On a terminal one line redrawn in
// place; into a file or pipe, a line per file and per 10 % (a log, not a thousand redraws).
class ProgressLine {
public:
    ProgressLine() : m_terminal(::isatty(STDERR_FILENO) == 1) {}

    void show(const DownloadProgress& p)
    {
        const int percent = int(p.fraction() * 100);
        std::string text = p.unpacking ? "unpacking " + p.currentFile : p.currentFile;
        if (!p.unpacking) {
            if (p.bytesTotal > 0)
                text += "  " + std::to_string(percent) + " %  " + megabytes(p.bytesDone) + " / "
                    + megabytes(p.bytesTotal) + " MB";
            else
                text += "  " + megabytes(p.bytesDone) + " MB";
            text += "  ETA " + formatDuration(p.etaSeconds);
        }
        if (m_terminal) {
            std::cerr << "\r" << padded(text, m_width) << std::flush;
            m_width = std::max(m_width, text.size());
            return;
        }
        if (p.currentFile != m_file || p.unpacking != m_unpacking || percent / 10 != m_tenth) {
            std::cerr << text << "\n";
            m_file = p.currentFile;
            m_unpacking = p.unpacking;
            m_tenth = percent / 10;
        }
    }
    void end()
    {
        if (m_terminal && m_width > 0)
            std::cerr << "\n";
        m_width = 0;
    }

private:
    bool m_terminal;
    size_t m_width = 0;
    std::string m_file;
    bool m_unpacking = false;
    int m_tenth = -1;
};

}  // namespace

int downloadCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("download", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"to", "from"}, {});
        if (args.positional.size() != 1)
            throw UsageError("download needs one dataset id (" + downloadableIds() + ")");
        const KnownDataset* dataset = findKnownDataset(args.positional[0]);
        if (!dataset || dataset->downloads.empty())
            throw UsageError("cannot download '" + args.positional[0] + "': known datasets are " + downloadableIds());
        const std::string target = args.value("to", (std::filesystem::path(userDatasetRoot()) / dataset->id).string());

        std::cerr << "downloading " << dataset->title << " into " << target << "\n";
        ProgressLine line;
        DownloadOptions options;
        options.mirror = args.value("from");
        options.onProgress = [&line](const DownloadProgress& p) { line.show(p); };
        watchCancelSignals();  // Ctrl+C stops the transfer; nothing stays half-installed
        options.cancel = &signalCancelFlag();
        try {
            installDataset(*dataset, target, options);
        } catch (const DownloadCancelled& e) {
            line.end();
            std::cerr << "prunescope-cli download: " << e.what() << "\n";
            return int(kCancelled);
        } catch (const DownloadError&) {
            line.end();
            throw;
        }
        line.end();
        std::cout << "installed " << dataset->title << " in " << target << " (" << describeShape(dataset->shape)
                  << " · " << dataset->trainImages << " train / " << dataset->testImages << " test images)\n";
        return int(kOk);
    });
}

}  // namespace prunescope::cli
