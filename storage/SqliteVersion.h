#pragma once
// The SQLite library that Qt's SQLite driver (the QSQLITE plugin) runs on, for --version and
// Help ▸ About: asked of the driver itself, so it is the one run databases are really written with.

#include <QString>

namespace prunescope {

// "3.40.1"; when the driver plugin is missing, a sentence naming the Debian package that has it.
QString sqliteVersion();

}  // namespace prunescope
