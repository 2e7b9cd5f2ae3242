#pragma once
// Any table the window shows, as CSV (RFC 4180: comma-separated, quoted where needed, CRLF),
// exactly as displayed: the columns in view order, the rows in the current sort and filter.

#include <QString>

class QAbstractItemModel;
class QTableView;

namespace prunescope {

QString tableToCsv(const QAbstractItemModel& model);
// The view's model with its visible columns in their visual order.
QString tableToCsv(const QTableView& view);
bool saveTableCsv(const QTableView& view, const QString& path, QString* error);

}  // namespace prunescope
