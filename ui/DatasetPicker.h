#pragma once
// The setup's data row: which dataset (a known one, marked installed or not, or the user's own
// IDX or image folder), its folder, what the folder holds (an image folder is read off the UI
// thread), the options of its kind (CIFAR-100 labels; an image folder's resize, test share and
// unreadable files) and whether training augments the images. A known dataset that is not installed offers
// "Download…" (DownloadDialog); when it ends, the folder is chosen and described.

#include "core/DatasetCatalogue.h"
#include "core/ExperimentConfig.h"

#include <QFutureWatcher>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace prunescope {

class DownloadDialog;

class DatasetPicker : public QWidget {
    Q_OBJECT
public:
    // `catalogue`: the known datasets offered (tests pass their own checksums and a local mirror).
    explicit DatasetPicker(std::vector<KnownDataset> catalogue = knownDatasets(), QWidget* parent = nullptr);

    // The dataset fields of `config` (name, folder and the kind's options; not the limits) and
    // the recipes' augmentation.
    void readInto(ExperimentConfig& config) const;
    void showConfig(const ExperimentConfig& config);

    // The setup's own check found a problem with the data ("" when none): shown in place of
    // what the picker found, so one reason shows, not two.
    void setProblem(const QString& problem);
    QLabel* problemLabel() const { return m_problem; }

    // A base URL replacing the official download locations (a mirror); empty: official. The
    // picker starts with $PRUNESCOPE_DATASET_MIRROR.
    void setDownloadMirror(const QString& mirror) { m_mirror = mirror; }
    // Opens the download dialog for the chosen known dataset into its folder (the "Download…"
    // button); null when there is nothing to download.
    DownloadDialog* startDownload();

    // The last inspection's outcome: a summary ("3×32×32, 10 classes · …") or a problem.
    QString foundText() const;
    bool isInspecting() const { return m_inspection.isRunning(); }

Q_SIGNALS:
    // The user changed the dataset, its folder or an option (not emitted by showConfig).
    void changed();
    // An inspection ended and its outcome is shown.
    void inspected();
    void statusMessage(const QString& message, int timeoutMs);

private:
    struct Inspection {
        quint64 generation = 0;
        bool ok = false;
        int64_t channels = 0, height = 0, width = 0, classes = 0, trainImages = 0, testImages = 0;
        QString problem;
    };

    QString kind() const;
    const KnownDataset* knownKind() const;
    void refreshInstalledMarks();
    void onKindActivated(int index);
    void browseFolder();
    void updateOptionsAndDownload();
    void inspect();
    void showInspection();
    void userChanged();

    std::vector<KnownDataset> m_catalogue;
    QString m_mirror;
    quint64 m_generation = 0;
    QFutureWatcher<Inspection> m_inspection;
    Inspection m_found;
    QString m_setupProblem;

    QComboBox* m_kind = nullptr;
    QLineEdit* m_folder = nullptr;
    QPushButton* m_download = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_problem = nullptr;
    QWidget* m_cifarOptions = nullptr;
    QComboBox* m_cifarLabels = nullptr;
    QWidget* m_imageFolderOptions = nullptr;
    QSpinBox* m_resize = nullptr;
    QDoubleSpinBox* m_testFraction = nullptr;
    QCheckBox* m_skipUnreadable = nullptr;
    QCheckBox* m_augment = nullptr;
};

}  // namespace prunescope
