#pragma once
// Help ▸ About: the versions a run's numbers depend on (PruneScope, Qt, LibTorch, SQLite), the
// run database in use, and the licences of PruneScope and of what it is built on.

#include <QDialog>
#include <QString>

namespace prunescope {

// The dialog's page (rich text), also for tests.
QString aboutHtml(const QString& databasePath);

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const QString& databasePath, QWidget* parent = nullptr);
};

}  // namespace prunescope
