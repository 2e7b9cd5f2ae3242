#include "DownloadDialog.h"

#include "LayoutGuards.h"
#include "UiTypes.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace prunescope {
namespace {

QString megabytes(int64_t bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 1);
}

}  // namespace

void DatasetDownloadWorker::download(const KnownDataset& dataset, const QString& target, const QString& mirror,
                                     std::shared_ptr<const std::atomic<bool>> cancel)
{
    DownloadOptions options;
    options.mirror = mirror.toStdString();
    options.cancel = cancel.get();
    // installDataset throttles its progress (every ~100 ms), so each call can go out as a signal.
    options.onProgress = [this](const DownloadProgress& p) { Q_EMIT progress(p); };
    try {
        installDataset(dataset, target.toStdString(), options);
        Q_EMIT installed(target);
    } catch (const DownloadCancelled&) {
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

DownloadDialog::DownloadDialog(const KnownDataset& dataset, const QString& target, const QString& mirror,
                               QWidget* parent)
    : QDialog(parent), m_dataset(dataset), m_target(target), m_mirror(mirror)
{
    qRegisterMetaType<prunescope::DownloadProgress>();
    setObjectName("downloadDialog");
    setWindowTitle(tr("Download %1").arg(QString::fromStdString(dataset.title)));
    auto* layout = new QVBoxLayout(this);
    QStringList hosts;
    for (const auto& file : dataset.downloads) {
        const QString host = QUrl(QString::fromStdString(downloadUrl(file, mirror.toStdString()))).host();
        if (!hosts.contains(host))
            hosts << (host.isEmpty() ? tr("local files") : host);
    }
    auto* what = new QLabel(tr("<b>%1</b><br>from %2 into")
                                .arg(QString::fromStdString(dataset.title).toHtmlEscaped(),
                                     hosts.join(QStringLiteral(", ")).toHtmlEscaped()));
    what->setWordWrap(true);
    layout->addWidget(what);
    // A path rarely wraps well: one line, elided, whole in the tooltip.
    auto* folder = new ElidedLabel;
    folder->setObjectName("downloadTarget");
    folder->setFullText(target);
    layout->addWidget(folder);
    m_bar = new QProgressBar;
    m_bar->setObjectName("downloadProgress");
    m_bar->setRange(0, 0);  // busy until the sizes are known
    m_bar->setTextVisible(false);  // the line below says the percentage, with the MB and the time left
    layout->addWidget(m_bar);
    m_status = new QLabel(tr("Connecting…"));
    m_status->setObjectName("downloadStatus");
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    // The reason names a file and a URL, which a label cannot break: a read-only text that wraps
    // anywhere, selectable for a bug report.
    m_errorText = new QPlainTextEdit;
    m_errorText->setObjectName("downloadError");
    m_errorText->setReadOnly(true);
    m_errorText->setFrameShape(QFrame::NoFrame);
    m_errorText->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_errorText->setStyleSheet(QStringLiteral("QPlainTextEdit { color: #e53935; background: transparent; }"));
    m_errorText->setFixedHeight(m_errorText->fontMetrics().lineSpacing() * 4 + 8);
    m_errorText->hide();
    layout->addWidget(m_errorText);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName("cancelDownload");
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DownloadDialog::reject);
    layout->addWidget(m_buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * 72);

    m_worker = new DatasetDownloadWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &DatasetDownloadWorker::progress, this, &DownloadDialog::showProgress);
    connect(m_worker, &DatasetDownloadWorker::installed, this, [this](const QString& directory) {
        m_downloading = false;
        m_installed = directory;
        Q_EMIT downloadEnded(directory, false, {});
        accept();
    });
    connect(m_worker, &DatasetDownloadWorker::cancelled, this, [this] {
        m_downloading = false;
        Q_EMIT downloadEnded({}, true, {});
        QDialog::reject();
    });
    connect(m_worker, &DatasetDownloadWorker::failed, this, [this](const QString& message) {
        m_downloading = false;
        m_error = message;
        m_bar->setRange(0, 1);
        m_bar->setValue(0);
        m_status->setText(tr("The download failed:"));
        m_errorText->setPlainText(message);
        m_errorText->show();
        m_buttons->setStandardButtons(QDialogButtonBox::Close);
        m_buttons->button(QDialogButtonBox::Close)->setObjectName("closeDownload");
        Q_EMIT downloadEnded({}, false, message);
    });
    m_thread.setObjectName("DatasetDownload");
    m_thread.start();
}

DownloadDialog::~DownloadDialog()
{
    m_cancel->store(true);
    m_thread.quit();
    m_thread.wait();
}

void DownloadDialog::start()
{
    if (m_started)
        return;
    m_started = true;
    m_downloading = true;
    QMetaObject::invokeMethod(m_worker,
                              [worker = m_worker, dataset = m_dataset, target = m_target, mirror = m_mirror,
                               cancel = std::shared_ptr<const std::atomic<bool>>(m_cancel)] {
                                  worker->download(dataset, target, mirror, cancel);
                              });
}

void DownloadDialog::reject()
{
    if (!m_downloading) {
        QDialog::reject();
        return;
    }
    // The worker answers with `cancelled` once the transfer has stopped and the temporary files
    // are gone; the dialog closes then.
    m_cancel->store(true);
    m_status->setText(tr("Cancelling…"));
    if (auto* cancel = m_buttons->button(QDialogButtonBox::Cancel))
        cancel->setEnabled(false);
}

void DownloadDialog::showProgress(const DownloadProgress& p)
{
    if (!m_downloading || m_cancel->load())
        return;
    const QString file = QString::fromStdString(p.currentFile);
    if (p.unpacking) {
        m_bar->setRange(0, 0);
        m_status->setText(tr("Unpacking %1…").arg(file));
        return;
    }
    if (p.bytesTotal > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(p.fraction() * 1000));
        const QString eta
            = p.etaSeconds < 0 ? tr("estimating the time left") : tr("%1 left").arg(formatEta(p.etaSeconds));
        m_status->setText(tr("%1 · %2 % · %3 of %4 MB · %5")
                              .arg(file)
                              .arg(int(p.fraction() * 100))
                              .arg(megabytes(p.bytesDone), megabytes(p.bytesTotal), eta));
    } else {
        m_status->setText(tr("%1 · %2 MB").arg(file, megabytes(p.bytesDone)));
    }
}

}  // namespace prunescope
