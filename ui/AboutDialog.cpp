#include "AboutDialog.h"

#include "MainWindow.h"
#include "SqliteVersion.h"
#include "experiment/LibTorchVersion.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace prunescope {

namespace {

struct Component {
    const char* name;
    const char* use;
    const char* licence;
};

}  // namespace

QString aboutHtml(const QString& databasePath)
{
    QString html = QObject::tr("<h2>PruneScope %1</h2><p>A workbench for neural-network pruning experiments, "
                               "following the taxonomy of Cheng, Zhang &amp; Shi, <i>A survey on deep neural "
                               "network pruning</i> (TPAMI 2024).</p>")
                       .arg(QStringLiteral(PRUNESCOPE_VERSION));
    html += QObject::tr("<h3>Versions</h3><table cellpadding=\"2\">"
                        "<tr><td>PruneScope</td><td>%1</td></tr>"
                        "<tr><td>Qt</td><td>%2 (built with %3)</td></tr>"
                        "<tr><td>LibTorch</td><td>%4</td></tr>"
                        "<tr><td>SQLite</td><td>%5</td></tr></table>"
                        "<p>Every run stores these with its config and seed. Run database: <code>%6</code></p>")
                .arg(QStringLiteral(PRUNESCOPE_VERSION), QString::fromLatin1(qVersion()),
                     QStringLiteral(QT_VERSION_STR), QString::fromStdString(libtorchVersion()),
                     sqliteVersion().toHtmlEscaped(), databasePath.toHtmlEscaped());
    html += QObject::tr("<h3>Licences</h3><p>PruneScope's own code is free software under the MIT (Expat) licence: "
                        "permission is granted, free of charge, to use, copy, modify, merge, publish, distribute, "
                        "sublicense and sell copies, provided the copyright and permission notice are included; "
                        "it comes WITHOUT WARRANTY of any kind. The program as built here links Qt Charts, which "
                        "Qt offers under the GPL 3, so the program as a whole is distributed under the terms of "
                        "the GNU General Public License, version 3. The full texts are in "
                        "<code>/usr/share/doc/prunescope/copyright</code> and "
                        "<code>/usr/share/common-licenses</code>.</p>");
    const Component components[] = {
        {"Qt 6 (Core, Gui, Widgets, Sql, Svg, Concurrent)", "the window, settings, the run database", "LGPL 3"},
        {"Qt Charts", "every chart", "GPL 3"},
        {"LibTorch (PyTorch)", "training, pruning, inference", "BSD 3-clause"},
        {"OpenBLAS", "LibTorch's matrix products", "BSD 3-clause"},
        {"SQLite", "the run database", "public domain"},
        {"nlohmann/json", "configs and exports", "MIT"},
        {"libcurl, libarchive, zlib, OpenSSL", "dataset downloads and checks", "curl, BSD 2-clause, zlib, Apache 2.0"},
        {"libpng, libjpeg-turbo", "image-folder datasets", "libpng, IJG / BSD 3-clause"},
        {"Fashion-MNIST (Zalando Research)", "the default dataset (separate package)", "MIT"},
    };
    html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr><th>%1</th><th>%2</th>"
                           "<th>%3</th></tr>")
                .arg(QObject::tr("component"), QObject::tr("used for"), QObject::tr("licence"));
    for (const Component& component : components)
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                    .arg(QString::fromUtf8(component.name).toHtmlEscaped(),
                         QString::fromUtf8(component.use).toHtmlEscaped(),
                         QString::fromUtf8(component.licence).toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

AboutDialog::AboutDialog(const QString& databasePath, QWidget* parent) : QDialog(parent)
{
    setObjectName("aboutDialog");
    setWindowTitle(tr("About PruneScope"));
    auto* icon = new QLabel;
    icon->setPixmap(MainWindow::applicationIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    auto* text = new QTextBrowser;
    text->setObjectName("aboutText");
    text->setOpenExternalLinks(true);
    text->setHtml(aboutHtml(databasePath));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton* aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::HelpRole);
    connect(aboutQt, &QPushButton::clicked, this, [] { QApplication::aboutQt(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);
    // Room for the licence table without a horizontal scroll bar on a 1366×768 screen.
    resize(std::min(760, fontMetrics().averageCharWidth() * 110), 560);
}

}  // namespace prunescope
