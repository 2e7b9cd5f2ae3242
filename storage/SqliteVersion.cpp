#include "SqliteVersion.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

namespace prunescope {

QString sqliteVersion()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return QStringLiteral("unavailable: Qt's SQLite driver is not installed (Debian package libqt6sql6-sqlite)");
    const QString connection = QStringLiteral("prunescope-sqlite-version");
    QString version;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT sqlite_version()")) && query.next())
                version = query.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return version.isEmpty() ? QStringLiteral("unknown (the SQLite driver did not answer)") : version;
}

}  // namespace prunescope
