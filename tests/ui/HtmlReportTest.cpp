// The HTML report: self-contained, with its charts and tables, and every typed text escaped.
#include "HtmlReport.h"
#include "RunStore.h"

#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace prunescope;

namespace {

std::vector<int64_t> writeRuns(const QString& databasePath)
{
    RunStore store(databasePath);
    std::vector<int64_t> ids;
    int n = 0;
    for (const char* method : {"global_magnitude", "snip"}) {
        ExperimentConfig config = defaultExperiment();
        config.method = method;
        config.name = n == 0 ? "<script>alert(\"x\")</script> & \"q\"" : "snip run";
        const int64_t id = store.beginRun(config, "test");
        PruningStep step;
        step.step = 1;
        LayerStats layer;
        layer.name = "fc1";
        layer.kind = "linear";
        layer.shape = {300, 784};
        layer.parameters = 235200;
        layer.nonzeros = 23520;
        layer.channels = 300;
        layer.channelsKept = 290;
        layer.denseMacs = 235200;
        layer.effectiveMacs = 23520;
        step.layers = {layer};
        store.recordPruningStep(id, step);
        RunSummary s;
        s.denseTestAccuracy = 0.8951;
        s.testAccuracy = n == 0 ? 0.8875 : 0.8712;
        s.sparsity = 0.9;
        s.compressionRatio = 10;
        s.effectiveMacs = 23520;
        s.nonzeros = 23520;
        store.finishRun(id, s);
        if (n == 0)
            store.setNotes(id, "<b>present this</b> first");
        ids.push_back(id);
        ++n;
    }
    return ids;
}

}  // namespace

TEST(HtmlReportTest, IsSelfContainedWithChartsTablesAndCardsAndEscapesTypedText)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const auto ids = writeRuns(db);
    RunStore store(db);
    const QString path = dir.filePath("report.html");
    QString error;
    ASSERT_TRUE(writeHtmlReport(store, ids, path, &error)) << error.toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());

    EXPECT_TRUE(html.startsWith("<!DOCTYPE html>"));
    EXPECT_TRUE(html.contains("<meta charset=\"utf-8\">"));
    // Typed text is text: the name and the note are escaped wherever they appear.
    EXPECT_FALSE(html.contains("<script"));
    EXPECT_TRUE(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;q&quot;"));
    EXPECT_FALSE(html.contains("<b>present this</b>"));
    EXPECT_TRUE(html.contains("&lt;b&gt;present this&lt;/b&gt; first"));
    // Nothing is fetched: every image is embedded, and each decodes to a real picture.
    EXPECT_FALSE(html.contains("src=\"http"));
    const QRegularExpression image("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
    int images = 0;
    for (auto it = image.globalMatch(html); it.hasNext(); ++images) {
        const QImage decoded = QImage::fromData(QByteArray::fromBase64(it.next().captured(1).toLatin1()), "PNG");
        EXPECT_GE(decoded.width(), 800);
        EXPECT_GE(decoded.height(), 400);
    }
    EXPECT_EQ(images, 2 + 2);  // accuracy vs compression and vs MACs; one layer chart per run
    // The numbers as the window shows them, the per-layer rows, the configs and the cards.
    EXPECT_TRUE(html.contains("88.75 %"));
    EXPECT_TRUE(html.contains("87.12 %"));
    EXPECT_TRUE(html.contains("-0.76 pp"));
    EXPECT_EQ(html.count("<td>fc1</td>"), 2);
    EXPECT_TRUE(html.contains("290 / 300"));
    EXPECT_TRUE(html.contains("&quot;method&quot;: &quot;snip&quot;"));
    EXPECT_TRUE(html.contains("Han, Pool, Tran, Dally"));
    EXPECT_TRUE(html.contains("Lee, Ajanthan, Torr"));
}

TEST(HtmlReportTest, ErrorsNameTheFileOrTheRunAndLeaveNoFile)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const auto ids = writeRuns(db);
    RunStore store(db);
    QString error;
    EXPECT_FALSE(writeHtmlReport(store, ids, dir.filePath("missing/report.html"), &error));
    EXPECT_TRUE(error.contains("missing/report.html")) << error.toStdString();
    EXPECT_FALSE(QFile::exists(dir.filePath("missing/report.html")));
    EXPECT_FALSE(writeHtmlReport(store, {ids[0], 77}, dir.filePath("r.html"), &error));
    EXPECT_TRUE(error.contains("no run 77")) << error.toStdString();
    EXPECT_FALSE(QFile::exists(dir.filePath("r.html")));
    EXPECT_FALSE(writeHtmlReport(store, {}, dir.filePath("r.html"), &error));
}
