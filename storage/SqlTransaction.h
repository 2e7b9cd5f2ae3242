#pragma once
// A write transaction on one of the store's connections; used by RunStore's source files
// (migrations, and writing runs), not part of the store's interface.

#include "RunStore.h"  // StorageError

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace prunescope {

// Rolls back unless committed; never throws from its destructor.
class SqlTransaction {
public:
    SqlTransaction(QSqlDatabase& db, const QString& path) : m_db(db), m_path(path)
    {
        QSqlQuery begin(m_db);
        // IMMEDIATE takes the write lock now, so a concurrent writer waits (busy timeout) here
        // instead of failing halfway through.
        if (!begin.exec("BEGIN IMMEDIATE"))
            throw StorageError(m_path.toStdString()
                               + ": cannot start a transaction: " + begin.lastError().text().toStdString());
    }
    ~SqlTransaction()
    {
        if (m_done)
            return;
        // The statement that failed may already have rolled back (SQLITE_FULL does), so an
        // error here is expected and ignored; the original StorageError is the one that matters.
        try {
            QSqlQuery rollback(m_db);
            rollback.exec("ROLLBACK");
        } catch (...) {
        }
    }
    void commit()
    {
        QSqlQuery query(m_db);
        if (!query.exec("COMMIT"))
            throw StorageError(m_path.toStdString() + ": commit failed: " + query.lastError().text().toStdString());
        m_done = true;
    }

private:
    QSqlDatabase& m_db;
    QString m_path;
    bool m_done = false;
};

}  // namespace prunescope
