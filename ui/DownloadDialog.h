#pragma once
// Downloading a known dataset from the window: a dialog with a progress bar, the ETA and Cancel,
// over a worker that runs installDataset on its own QThread. The worker re-emits the engine's
// progress as queued value-struct signals; Cancel sets an atomic flag the transfer checks, so it
// stops promptly even when the server sends nothing. Whatever ends the download, nothing is left
// half-installed (installDataset's promise); the dialog says what happened.

#include "core/DatasetCatalogue.h"
#include "download/DatasetDownload.h"

#include <QDialog>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

Q_DECLARE_METATYPE(prunescope::DownloadProgress)

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;

namespace prunescope {

class DatasetDownloadWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // Runs on the worker's thread; every ending is a signal, no exception leaves.
    void download(const prunescope::KnownDataset& dataset, const QString& target, const QString& mirror,
                  std::shared_ptr<const std::atomic<bool>> cancel);

Q_SIGNALS:
    void progress(const prunescope::DownloadProgress& progress);
    void installed(const QString& directory);
    void cancelled();
    void failed(const QString& message);
};

class DownloadDialog : public QDialog {
    Q_OBJECT
public:
    // `mirror`: the base URL that replaces the official one (DownloadOptions::mirror); empty for
    // the official locations.
    DownloadDialog(const KnownDataset& dataset, const QString& target, const QString& mirror = {},
                   QWidget* parent = nullptr);
    // Cancels a download still going and waits for its thread (promptly: the transfer checks the
    // flag at least every 100 ms).
    ~DownloadDialog() override;

    // Starts the download (once). The dialog accepts when the dataset is installed, rejects when
    // the user cancelled; after an error it stays open showing the message until closed.
    void start();
    bool isDownloading() const { return m_downloading; }
    QString installedDirectory() const { return m_installed; }
    QString errorMessage() const { return m_error; }

    // Cancel (also Esc and the window's close button while downloading).
    void reject() override;

Q_SIGNALS:
    // Every ending, after the dialog is updated: installed (directory not empty), cancelled, or
    // failed (message not empty).
    void downloadEnded(const QString& directory, bool cancelled, const QString& message);

private:
    void showProgress(const DownloadProgress& progress);

    KnownDataset m_dataset;
    QString m_target;
    QString m_mirror;
    QThread m_thread;
    DatasetDownloadWorker* m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    bool m_started = false;
    bool m_downloading = false;
    QString m_installed;
    QString m_error;

    QProgressBar* m_bar = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_errorText = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace prunescope
