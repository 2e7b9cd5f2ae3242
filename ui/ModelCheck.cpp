#include "ModelCheck.h"

#include "models/ModelDescription.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QProgressDialog>
#include <QTimer>

#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace prunescope {
namespace {

// What the checking thread and the window share; it outlives whichever of the two ends last.
struct SharedCheck {
    std::mutex mutex;
    bool done = false;
    bool ok = false;
    std::string text;
    QEventLoop* waiting = nullptr;  // cleared by the window before its loop goes away
};

QString tr(const char* text)
{
    return QCoreApplication::translate("ModelCheck", text);
}

}  // namespace

ModelCheckResult checkModelFile(QWidget* parent, const QString& path, const DataShape& shape, int timeoutMs)
{
    const QString name = QFileInfo(path).fileName();
    auto shared = std::make_shared<SharedCheck>();
    QEventLoop loop;
    shared->waiting = &loop;
    // Detached: a forward pass cannot be interrupted, so a stuck one is left behind, not joined.
    std::thread([shared, file = path.toStdString(), shape] {
        std::string text;
        bool ok = false;
        try {
            text = describeModel(file, shape);
            ok = true;
        } catch (const std::exception& e) {
            text = e.what();
        }
        const std::lock_guard lock(shared->mutex);
        shared->done = true;
        shared->ok = ok;
        shared->text = std::move(text);
        if (shared->waiting)
            QMetaObject::invokeMethod(shared->waiting, &QEventLoop::quit, Qt::QueuedConnection);
    }).detach();

    QProgressDialog progress(tr("Checking %1: loading it and running one batch…").arg(name), tr("Cancel"), 0, 0,
                             parent);
    progress.setWindowTitle(tr("Checking the model"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);  // most models answer in milliseconds: no flash of a dialog
    bool cancelled = false;
    QObject::connect(&progress, &QProgressDialog::canceled, &loop, [&] {
        cancelled = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    bool finished = false;
    {
        const std::lock_guard lock(shared->mutex);
        finished = shared->done;
    }
    if (!finished)
        loop.exec();

    const std::lock_guard lock(shared->mutex);
    shared->waiting = nullptr;
    if (!shared->done) {
        const QString why = cancelled ? tr("the check was cancelled")
                                      : tr("it did not answer within %1 s").arg(timeoutMs / 1000.0, 0, 'g', 3);
        return {false,
                {},
                tr("%1: %2; its forward pass may never return. The previous model is kept; the abandoned "
                   "check goes on in the background until it ends or PruneScope is closed.")
                    .arg(name, why)};
    }
    if (!shared->ok)
        return {false, {}, QString::fromStdString(shared->text)};
    return {true, QString::fromStdString(shared->text), {}};
}

}  // namespace prunescope
