#pragma once
// Checks a TorchScript file off the UI thread (it is loaded and run on one batch) so that a model
// whose forward pass never returns cannot freeze the window: the check is abandoned at Cancel or
// after a time limit, and the window goes on with the model it had.

#include "core/DatasetCatalogue.h"

#include <QString>

class QWidget;

namespace prunescope {

struct ModelCheckResult {
    bool ok = false;
    QString description;  // the one-line description when ok
    QString error;  // what went wrong otherwise, for the user
};

// Returns when the check has ended, was cancelled in its progress dialog (shown after a moment)
// or ran longer than `timeoutMs`. An abandoned check's thread is left to end by itself.
ModelCheckResult checkModelFile(QWidget* parent, const QString& path, const DataShape& shape, int timeoutMs);

}  // namespace prunescope
