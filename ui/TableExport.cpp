#include "TableExport.h"

#include "core/TextFormat.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QSaveFile>
#include <QStringList>
#include <QTableView>

namespace prunescope {
namespace {

// The engine's CSV rule (a run name that a spreadsheet would read as a formula stays text), so
// the window's tables and the CLI's exports quote alike.
QString csvField(const QString& text)
{
    return QString::fromStdString(csvCell(text.toStdString()));
}

QString csv(const QAbstractItemModel& model, const QList<int>& columns)
{
    QString out;
    QStringList fields;
    for (int column : columns)
        fields << csvField(model.headerData(column, Qt::Horizontal).toString());
    out += fields.join(',') + QStringLiteral("\r\n");
    for (int row = 0; row < model.rowCount(); ++row) {
        fields.clear();
        for (int column : columns)
            fields << csvField(model.index(row, column).data().toString());
        out += fields.join(',') + QStringLiteral("\r\n");
    }
    return out;
}

}  // namespace

QString tableToCsv(const QAbstractItemModel& model)
{
    QList<int> columns;
    for (int column = 0; column < model.columnCount(); ++column)
        columns << column;
    return csv(model, columns);
}

QString tableToCsv(const QTableView& view)
{
    if (!view.model())
        return {};
    const QHeaderView* header = view.horizontalHeader();
    QList<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns << logical;
    }
    return csv(*view.model(), columns);
}

bool saveTableCsv(const QTableView& view, const QString& path, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(tableToCsv(view).toUtf8());
    if (!file.commit()) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace prunescope
