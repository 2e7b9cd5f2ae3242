#include "VersionText.h"

#include "SqliteVersion.h"
#include "experiment/LibTorchVersion.h"

#include <QtGlobal>

namespace prunescope {

std::string versionText(const std::string& program)
{
    std::string text = program + " (PruneScope) " + PRUNESCOPE_VERSION + "\n";
    text += std::string("Qt ") + qVersion();
    if (std::string(qVersion()) != QT_VERSION_STR)
        text += std::string(" (built with ") + QT_VERSION_STR + ")";
    text += "\nLibTorch " + libtorchVersion() + "\nSQLite " + sqliteVersion().toStdString() + "\n";
    return text;
}

}  // namespace prunescope
