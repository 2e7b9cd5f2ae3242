#pragma once
// The banner a first start shows when the setup's dataset is not installed: where PruneScope
// looks for it, how to install it (the Debian package, Download…, the CLI's download command)
// and a way to choose the folder that holds it. Never a bare "file not found".

#include "core/ExperimentConfig.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace prunescope {

class DataGuidance : public QFrame {
    Q_OBJECT
public:
    explicit DataGuidance(QWidget* parent = nullptr);

    // Shows the guidance when `config` asks for a known dataset whose folder holds no files,
    // hides it otherwise; true when it is shown.
    bool update(const ExperimentConfig& config);
    QString text() const;

    // The guidance for a known dataset not found in `folder` (rich text).
    static QString guidanceHtml(const std::string& datasetId, const QString& folder);
    // Whether a folder holds anything (a dataset's files, or a download's).
    static bool holdsFiles(const QString& folder);

Q_SIGNALS:
    void chooseFolderClicked();
    void downloadClicked();

private:
    QLabel* m_text = nullptr;
    QPushButton* m_download = nullptr;
};

}  // namespace prunescope
