#include "DataGuidance.h"

#include "core/DatasetCatalogue.h"
#include "core/SystemDatasets.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace prunescope {

namespace {

QString code(const QString& text)
{
    return QStringLiteral("<code>%1</code>").arg(text.toHtmlEscaped());
}

QString homeRelative(QString path)
{
    const QString home = QDir::homePath();
    if (!home.isEmpty() && home != QLatin1String("/") && path.startsWith(home + '/'))
        path.replace(0, home.size(), QStringLiteral("~"));
    return path;
}

}  // namespace

DataGuidance::DataGuidance(QWidget* parent) : QFrame(parent)
{
    setObjectName("dataGuidance");
    setFrameShape(QFrame::StyledPanel);
    // A calm, noticeable panel in either theme: the palette's highlight as a left rule.
    setStyleSheet(QStringLiteral("#dataGuidance { border: 1px solid palette(mid); border-left: 4px solid "
                                 "palette(highlight); border-radius: 3px; }"));
    m_text = new QLabel;
    m_text->setObjectName("dataGuidanceText");
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* choose = new QPushButton(tr("Choose folder…"));
    choose->setObjectName("dataGuidanceChooseFolder");
    choose->setToolTip(tr("A folder that holds the dataset's files"));
    connect(choose, &QPushButton::clicked, this, &DataGuidance::chooseFolderClicked);
    m_download = new QPushButton(tr("Download…"));
    m_download->setObjectName("dataGuidanceDownload");
    connect(m_download, &QPushButton::clicked, this, &DataGuidance::downloadClicked);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(choose);
    buttons->addWidget(m_download);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    hide();
}

bool DataGuidance::holdsFiles(const QString& folder)
{
    const QDir dir(folder);
    return !folder.isEmpty() && dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

QString DataGuidance::guidanceHtml(const std::string& datasetId, const QString& folder)
{
    const KnownDataset* dataset = findKnownDataset(datasetId);
    if (!dataset)
        return {};
    const QString title = QString::fromStdString(dataset->title).section(QStringLiteral(" ("), 0, 0);
    const QString system = QString::fromStdString(systemDatasetDirectory(*dataset));
    const QString downloads = QString::fromStdString(userDatasetRoot() + "/" + dataset->id);
    QString html = tr("<b>%1 is not installed.</b> ").arg(title.toHtmlEscaped());
    if (!system.isEmpty())
        html += tr("PruneScope looks for it in %1, where the Debian package puts it, and in %2, where a download "
                   "puts it.")
                    .arg(code(system), code(homeRelative(downloads)));
    else
        html += tr("PruneScope looks for it in %1, where a download puts it.").arg(code(homeRelative(downloads)));
    if (QDir::cleanPath(folder) != QDir::cleanPath(system) && QDir::cleanPath(folder) != QDir::cleanPath(downloads))
        html += tr(" This setup reads %1, which is empty or missing.").arg(code(homeRelative(folder)));
    html += QStringLiteral("<br>");
    QStringList ways;
    const QString package = QString::fromStdString(debianDatasetPackage(*dataset));
    if (!package.isEmpty())
        ways << tr("install the package: %1").arg(code("sudo apt install " + package));
    if (!dataset->downloads.empty()) {
        const QString host = QUrl(QString::fromStdString(dataset->downloads.front().url)).host();
        ways << tr("<b>Download…</b> fetches it from %1 and checks every file's MD5 sum (on the command line: %2)")
                    .arg(host.toHtmlEscaped(), code("prunescope-cli download " + QString::fromStdString(dataset->id)));
    }
    ways << tr("or <b>Choose folder…</b> if you have its files elsewhere");
    html += tr("To get it: %1.").arg(ways.join(QStringLiteral("; ")));
    if (!package.isEmpty())
        html += tr(" After installing the package, the setup finds it at the next start, or choose %1.")
                    .arg(code(system));
    return html;
}

bool DataGuidance::update(const ExperimentConfig& config)
{
    const KnownDataset* dataset = findKnownDataset(config.dataset.name);
    const QString folder = QString::fromStdString(config.dataset.directory);
    const bool missing = dataset && !holdsFiles(folder);
    if (missing) {
        m_text->setText(guidanceHtml(dataset->id, folder));
        m_download->setVisible(!dataset->downloads.empty());
    }
    setVisible(missing);
    return missing;
}

QString DataGuidance::text() const
{
    return m_text->text();
}

}  // namespace prunescope
