// The HTML report: self-contained, with its charts and tables, and every typed text escaped;
// per run its training curves, its layers and a mask; a table that fits the page; the right
// words for one seed and for several.
#include "HtmlReport.h"
#include "MaskSnapshots.h"
#include "RunStore.h"

#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <map>

#include <gtest/gtest.h>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

// One run per method (seed `seed`), each with three epochs, one pruning step and fc1's mask.
std::vector<int64_t> writeRuns(const QString& databasePath, uint64_t seed = 1)
{
    RunStore store(databasePath);
    std::vector<int64_t> ids;
    int n = 0;
    for (const char* method : {"global_magnitude", "snip"}) {
        ExperimentConfig config = defaultExperiment();
        config.method = method;
        config.seed = seed;
        config.name = n == 0 ? "<script>alert(\"x\")</script> & \"q\"" : "snip run";
        const int64_t id = store.beginRun(config, "test");
        for (int e = 1; e <= 3; ++e) {
            EpochMetrics epoch;
            epoch.phase = e < 3 ? "dense" : "finetune";
            epoch.epoch = e < 3 ? e : 1;
            epoch.trainLoss = 1.0 / e;
            epoch.validationAccuracy = 0.8 + 0.03 * e;
            store.recordEpoch(id, epoch);
        }
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
        std::vector<bool> kept(300 * 784);
        for (size_t i = 0; i < kept.size(); ++i)
            kept[i] = i % 10 == 0;
        step.masks = {maskOf("fc1", {300, 784}, kept)};
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
    const QRegularExpression image("<figure class=\"(\\w+)\"><img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
    std::map<QString, int> figures;  // kind → how many
    for (auto it = image.globalMatch(html); it.hasNext();) {
        const auto match = it.next();
        const QImage decoded = QImage::fromData(QByteArray::fromBase64(match.captured(2).toLatin1()), "PNG");
        EXPECT_FALSE(decoded.isNull()) << match.captured(1).toStdString();
        // At twice the size the page shows (sharp on paper): a chart 720 px wide, a mask 480.
        EXPECT_GE(decoded.width(), match.captured(1) == "mask" ? 960 : 1440);
        EXPECT_GE(decoded.height(), match.captured(1) == "mask" ? 240 : 500);
        ++figures[match.captured(1)];
    }
    EXPECT_EQ(figures["comparison"], 2);  // accuracy vs compression and vs MACs
    // Per run: the training curves, the per-layer chart and a mask thumbnail.
    EXPECT_EQ(figures["training"], 2);
    EXPECT_EQ(figures["layers"], 2);
    EXPECT_EQ(figures["mask"], 2);
    for (int64_t id : ids) {
        const int section = html.indexOf(QString("id=\"run-%1\"").arg(id));
        ASSERT_GE(section, 0);
        const int next = html.indexOf("<h2", section + 1);
        const QString part = html.mid(section, next - section);
        EXPECT_TRUE(part.contains("class=\"training\"")) << id;
        EXPECT_TRUE(part.contains("class=\"layers\"")) << id;
        EXPECT_TRUE(part.contains("class=\"mask\"")) << id;
        EXPECT_TRUE(part.contains("Mask of fc1 (300 × 784)")) << id;
    }
    // One seed per configuration: said so, never "mean ± sd over seeds".
    EXPECT_FALSE(html.contains("mean ± sd")) << "a single seed described as a mean";
    EXPECT_TRUE(html.contains("one seed per point"));
    // The numbers as the window shows them, units in the headers (a number never wraps away
    // from its unit), the per-layer rows, the configs and the cards.
    EXPECT_TRUE(html.contains("<th class=\"n\">Final acc. (%)</th>"));
    EXPECT_TRUE(html.contains("<td class=\"n\">88.75</td>"));
    EXPECT_TRUE(html.contains("<td class=\"n\">87.12</td>"));
    EXPECT_TRUE(html.contains("<td class=\"n\">-0.76</td>"));
    EXPECT_FALSE(html.contains(" %</td>"));
    EXPECT_EQ(html.count("<td>fc1</td>"), 2);
    EXPECT_TRUE(html.contains("290 / 300"));
    EXPECT_TRUE(html.contains("&quot;method&quot;: &quot;snip&quot;"));
    EXPECT_TRUE(html.contains("Han, Pool, Tran, Dally"));
    EXPECT_TRUE(html.contains("Lee, Ajanthan, Torr"));
    // Fits the page: no sideways scrolling, images shrink, print keeps figures whole.
    EXPECT_FALSE(html.contains("overflow-x"));
    EXPECT_TRUE(html.contains("@page"));
    EXPECT_TRUE(html.contains("img { max-width: 100%"));
    EXPECT_TRUE(html.contains("break-inside: avoid"));
}

TEST(HtmlReportTest, SeveralSeedsAreDescribedAsMeanAndSd)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    auto ids = writeRuns(db, 1);
    const auto more = writeRuns(db, 2);
    ids.insert(ids.end(), more.begin(), more.end());
    RunStore store(db);
    std::vector<StoredRun> runs;
    for (int64_t id : ids)
        runs.push_back(*store.findRun(id));
    const QString html = htmlReport(store, runs, "two seeds");
    EXPECT_TRUE(html.contains("mean ± sd over seeds"));
    EXPECT_FALSE(html.contains("one seed per point"));
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
