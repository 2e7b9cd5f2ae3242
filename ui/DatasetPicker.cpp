#include "DatasetPicker.h"

#include "DownloadDialog.h"
#include "data/Dataset.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace prunescope {
namespace {

// "50 000": thousands apart, as the rest of the window writes counts.
QString count(int64_t value)
{
    QString digits = QString::number(value);
    for (int i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QChar(0x202F));  // a narrow no-break space
    return digits;
}

QLabel* wrappedLabel(const char* name)
{
    auto* label = new QLabel;
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

bool holdsFiles(const QString& folder)
{
    const QDir dir(folder);
    return dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

}  // namespace

DatasetPicker::DatasetPicker(std::vector<KnownDataset> catalogue, QWidget* parent)
    : QWidget(parent), m_catalogue(std::move(catalogue)),
      // Where the official sites are blocked: a mirror holding the same files (as --from in the CLI).
      m_mirror(qEnvironmentVariable("PRUNESCOPE_DATASET_MIRROR"))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_kind = new QComboBox;
    m_kind->setObjectName("datasetKind");
    // As narrow as the pane allows; the open list shows the titles whole.
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_kind->setMinimumContentsLength(12);
    for (const auto& dataset : m_catalogue)
        m_kind->addItem(QString::fromStdString(dataset.title), QString::fromStdString(dataset.id));
    m_kind->insertSeparator(m_kind->count());
    m_kind->addItem(tr("IDX folder…"), QString::fromUtf8(kIdxDatasetName));
    m_kind->setItemData(m_kind->count() - 1,
                        tr("Your own files in the MNIST layout: train-images-idx3-ubyte[.gz], "
                           "train-labels-idx1-ubyte[.gz], t10k-…"),
                        Qt::ToolTipRole);
    m_kind->addItem(tr("Image folder…"), QString::fromUtf8(kImageFolderDatasetName));
    m_kind->setItemData(m_kind->count() - 1,
                        tr("One sub-folder of PNG or JPEG images per class, under train/ and test/ or split by "
                           "the test share below"),
                        Qt::ToolTipRole);
    connect(m_kind, &QComboBox::activated, this, &DatasetPicker::onKindActivated);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] { m_kind->setToolTip(m_kind->currentText()); });
    layout->addWidget(m_kind);

    auto* folderRow = new QHBoxLayout;
    m_folder = new QLineEdit;
    m_folder->setObjectName("dataDirectory");
    m_folder->setToolTip(tr("The dataset's folder"));
    // The field is narrow: the whole path is in its tooltip.
    connect(m_folder, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_folder->setToolTip(text.isEmpty() ? tr("The dataset's folder") : text); });
    // Checked when the user leaves the field, not at every keystroke.
    connect(m_folder, &QLineEdit::editingFinished, this, &DatasetPicker::userChanged);
    auto* browse = new QToolButton;
    browse->setObjectName("browseDataset");
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the dataset folder"));
    connect(browse, &QToolButton::clicked, this, &DatasetPicker::browseFolder);
    m_download = new QPushButton(tr("Download…"));
    m_download->setObjectName("downloadButton");
    connect(m_download, &QPushButton::clicked, this, [this] {
        if (DownloadDialog* dialog = startDownload())
            dialog->open();
    });
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    folderRow->addWidget(m_download);
    layout->addLayout(folderRow);

    m_summary = wrappedLabel("datasetSummary");
    m_summary->setStyleSheet(QStringLiteral("color: palette(placeholder-text)"));
    layout->addWidget(m_summary);
    m_problem = wrappedLabel("dataProblem");
    m_problem->setStyleSheet(QStringLiteral("color: #e53935"));
    m_problem->hide();
    layout->addWidget(m_problem);

    // CIFAR-100: which of its two label sets the classes are.
    m_cifarOptions = new QWidget;
    auto* cifarForm = new QFormLayout(m_cifarOptions);
    cifarForm->setContentsMargins(0, 0, 0, 0);
    cifarForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_cifarLabels = new QComboBox;
    m_cifarLabels->setObjectName("cifarLabels");
    m_cifarLabels->addItem(tr("100 fine classes"), int(CifarLabels::Fine));
    m_cifarLabels->addItem(tr("20 coarse superclasses"), int(CifarLabels::Coarse));
    connect(m_cifarLabels, &QComboBox::activated, this, &DatasetPicker::userChanged);
    cifarForm->addRow(tr("&Labels"), m_cifarLabels);
    layout->addWidget(m_cifarOptions);

    // An image folder: size, the test share when it has no test/ folder, unreadable files.
    m_imageFolderOptions = new QWidget;
    auto* imageForm = new QFormLayout(m_imageFolderOptions);
    imageForm->setContentsMargins(0, 0, 0, 0);
    imageForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_resize = new QSpinBox;
    m_resize->setObjectName("resizeImages");
    m_resize->setRange(0, 1024);
    m_resize->setSuffix(tr(" px"));
    m_resize->setSpecialValueText(tr("keep the size"));
    m_resize->setToolTip(tr("Every image resized to this many pixels square; \"keep the size\": all images must "
                            "then be the same size"));
    m_testFraction = new QDoubleSpinBox;
    m_testFraction->setObjectName("testFraction");
    m_testFraction->setRange(1, 90);
    m_testFraction->setDecimals(1);
    m_testFraction->setSuffix(tr(" %"));
    m_testFraction->setToolTip(tr("Without train/ and test/ sub-folders: the share of each class held out for "
                                  "testing (a seeded choice)"));
    m_skipUnreadable = new QCheckBox(tr("S&kip unreadable files"));
    m_skipUnreadable->setObjectName("skipUnreadable");
    m_skipUnreadable->setToolTip(tr("Skip files that are not readable images (and count them) instead of stopping "
                                    "with an error naming the first"));
    connect(m_resize, &QSpinBox::editingFinished, this, &DatasetPicker::userChanged);
    connect(m_testFraction, &QDoubleSpinBox::editingFinished, this, &DatasetPicker::userChanged);
    connect(m_skipUnreadable, &QCheckBox::clicked, this, &DatasetPicker::userChanged);
    imageForm->addRow(tr("&Resize to"), m_resize);
    imageForm->addRow(tr("&Test share"), m_testFraction);
    imageForm->addRow(QString(), m_skipUnreadable);
    layout->addWidget(m_imageFolderOptions);

    // A check box cannot wrap: its text stays short, the recipe is in the tooltip.
    m_augment = new QCheckBox(tr("&Augment (crop + flip)"));
    m_augment->setObjectName("augment");
    m_augment->setToolTip(tr("Training sees each image shifted by a random crop of the image padded by 4 pixels "
                             "and flipped left-right half the time (He et al., 2016), seeded. On by default for "
                             "CIFAR and image folders; off for digits and letters, which are not mirror-symmetric"));
    connect(m_augment, &QCheckBox::clicked, this, [this] { Q_EMIT changed(); });
    layout->addWidget(m_augment);

    connect(&m_inspection, &QFutureWatcher<Inspection>::finished, this, [this] {
        const Inspection result = m_inspection.result();
        if (result.generation != m_generation)
            return;  // the folder or kind changed since: a newer inspection is under way
        m_found = result;
        showInspection();
        Q_EMIT inspected();
    });
    refreshInstalledMarks();
    updateOptionsAndDownload();
}

QString DatasetPicker::kind() const
{
    return m_kind->currentData().toString();
}

const KnownDataset* DatasetPicker::knownKind() const
{
    const std::string id = kind().toStdString();
    for (const auto& dataset : m_catalogue) {
        if (dataset.id == id)
            return &dataset;
    }
    return nullptr;
}

void DatasetPicker::refreshInstalledMarks()
{
    for (size_t i = 0; i < m_catalogue.size(); ++i) {
        const KnownDataset& dataset = m_catalogue[i];
        const QString folder = QString::fromStdString(defaultDatasetDirectory(dataset));
        const bool installed = holdsFiles(folder);
        m_kind->setItemText(int(i),
                            tr("%1 — %2").arg(QString::fromStdString(dataset.title),
                                              installed ? tr("installed") : tr("not installed")));
        m_kind->setItemData(int(i),
                            tr("%1, %2 training and %3 test images\n%4")
                                .arg(QString::fromStdString(describeShape(dataset.shape)), count(dataset.trainImages),
                                     count(dataset.testImages),
                                     installed ? tr("installed in %1").arg(folder)
                                               : tr("not installed: Download… puts it in %1").arg(folder)),
                            Qt::ToolTipRole);
    }
    m_kind->setToolTip(m_kind->currentText());
}

void DatasetPicker::onKindActivated(int)
{
    if (const KnownDataset* known = knownKind()) {
        m_folder->setText(QString::fromStdString(defaultDatasetDirectory(*known)));
        m_augment->setChecked(known->format != DatasetFormat::Idx);
        userChanged();
        return;
    }
    m_augment->setChecked(kind() == QLatin1String(kImageFolderDatasetName));
    browseFolder();
    userChanged();
}

void DatasetPicker::browseFolder()
{
    const QString start = m_folder->text().isEmpty() ? QDir::homePath() : m_folder->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), start);
    if (folder.isEmpty())
        return;
    m_folder->setText(folder);
    userChanged();
}

void DatasetPicker::userChanged()
{
    updateOptionsAndDownload();
    inspect();
    Q_EMIT changed();
}

void DatasetPicker::updateOptionsAndDownload()
{
    const KnownDataset* known = knownKind();
    m_cifarOptions->setVisible(known && known->format == DatasetFormat::Cifar100);
    m_imageFolderOptions->setVisible(kind() == QLatin1String(kImageFolderDatasetName));
    m_download->setVisible(known && !known->downloads.empty() && !holdsFiles(m_folder->text()));
    showInspection();
}

void DatasetPicker::inspect()
{
    ExperimentConfig config;
    readInto(config);
    const quint64 generation = ++m_generation;
    auto inspectNow = [dataset = config.dataset, generation] {
        Inspection result;
        result.generation = generation;
        try {
            const DatasetSummary summary = inspectDataset(dataset);
            result.ok = true;
            result.channels = summary.shape.channels;
            result.height = summary.shape.height;
            result.width = summary.shape.width;
            result.classes = summary.shape.classes;
            result.trainImages = summary.trainImages;
            result.testImages = summary.testImages;
        } catch (const std::exception& e) {
            result.problem = QString::fromStdString(e.what());
        }
        return result;
    };
    // The binary formats answer from their headers in milliseconds (the setup's own check reads
    // them on this thread too): at once, so the row does not change height a moment later. An
    // image folder is listed and an image read, which a slow or network disk can make long: on a
    // pool thread.
    if (config.dataset.name != kImageFolderDatasetName) {
        m_found = inspectNow();
        showInspection();
        Q_EMIT inspected();
        return;
    }
    m_found = Inspection{generation, false, 0, 0, 0, 0, 0, 0, {}};
    m_inspection.setFuture(QtConcurrent::run(inspectNow));
    showInspection();
}

QString DatasetPicker::foundText() const
{
    if (!m_found.ok)
        return m_found.problem;
    const DataShape shape{m_found.channels, m_found.height, m_found.width, m_found.classes};
    return tr("%1 · %2 train / %3 test images")
        .arg(QString::fromStdString(describeShape(shape)), count(m_found.trainImages), count(m_found.testImages));
}

void DatasetPicker::showInspection()
{
    const KnownDataset* known = knownKind();
    const bool notInstalledHere = m_download->isVisibleTo(this) && known
        && QDir::cleanPath(m_folder->text())
            == QDir::cleanPath(QString::fromStdString(defaultDatasetDirectory(*known)));
    QString summary;
    QString problem;
    if (notInstalledHere) {
        QStringList hosts;
        for (const auto& file : known->downloads)
            hosts << QUrl(QString::fromStdString(downloadUrl(file, m_mirror.toStdString()))).host();
        hosts.removeDuplicates();
        summary = tr("Not installed yet: Download… fetches it from %1 and checks it.").arg(hosts.join(", "));
    } else if (!m_setupProblem.isEmpty()) {
        problem = m_setupProblem;
    } else if (m_inspection.isRunning() && m_found.generation == m_generation && !m_found.ok
               && m_found.problem.isEmpty()) {
        summary = tr("Reading the folder…");
    } else if (m_found.ok) {
        summary = foundText();
    } else {
        problem = m_found.problem;
    }
    m_summary->setText(summary);
    m_summary->setVisible(!summary.isEmpty());
    m_problem->setText(problem.isEmpty() ? m_setupProblem : problem);
    m_problem->setVisible(!problem.isEmpty());
}

void DatasetPicker::setProblem(const QString& problem)
{
    m_setupProblem = problem;
    showInspection();
}

DownloadDialog* DatasetPicker::startDownload()
{
    const KnownDataset* known = knownKind();
    if (!known || known->downloads.empty())
        return nullptr;
    const QString target
        = m_folder->text().isEmpty() ? QString::fromStdString(defaultDatasetDirectory(*known)) : m_folder->text();
    auto* dialog = new DownloadDialog(*known, target, m_mirror, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DownloadDialog::downloadEnded, this,
            [this, title = QString::fromStdString(known->title)](const QString& directory, bool cancelled,
                                                                 const QString& message) {
                if (!directory.isEmpty()) {
                    m_folder->setText(directory);
                    refreshInstalledMarks();
                    userChanged();
                    Q_EMIT statusMessage(tr("%1 installed in %2").arg(title, directory), 8000);
                } else {
                    Q_EMIT statusMessage(
                        cancelled ? tr("Download of %1 cancelled: nothing was installed").arg(title) : message, 8000);
                }
            });
    dialog->start();
    return dialog;
}

void DatasetPicker::readInto(ExperimentConfig& config) const
{
    config.dataset.name = kind().toStdString();
    config.dataset.directory = m_folder->text().toStdString();
    config.dataset.cifarLabels = CifarLabels(m_cifarLabels->currentData().toInt());
    config.dataset.resize = m_resize->value();
    config.dataset.testFraction = m_testFraction->value() / 100.0;
    config.dataset.unreadableImages = m_skipUnreadable->isChecked() ? UnreadableImages::Skip : UnreadableImages::Fail;
    config.denseTraining.augment = m_augment->isChecked();
    config.fineTuning.augment = m_augment->isChecked();
}

void DatasetPicker::showConfig(const ExperimentConfig& config)
{
    const int index = m_kind->findData(QString::fromStdString(config.dataset.name));
    m_kind->setCurrentIndex(index >= 0 ? index : 0);
    m_folder->setText(QString::fromStdString(config.dataset.directory));
    m_cifarLabels->setCurrentIndex(m_cifarLabels->findData(int(config.dataset.cifarLabels)));
    m_resize->setValue(int(config.dataset.resize));
    m_testFraction->setValue(config.dataset.testFraction * 100.0);
    m_skipUnreadable->setChecked(config.dataset.unreadableImages == UnreadableImages::Skip);
    m_augment->setChecked(config.denseTraining.augment);
    refreshInstalledMarks();
    updateOptionsAndDownload();
    inspect();
}

}  // namespace prunescope
