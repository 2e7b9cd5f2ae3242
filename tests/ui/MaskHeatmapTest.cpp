// The mask heatmap on its own: colours, hover text, zoom.
#include "MaskHeatmap.h"
#include "MaskSnapshots.h"

#include <QCoreApplication>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QWheelEvent>

#include <gtest/gtest.h>

using namespace prunescope;
using namespace prunescope::testsupport;

TEST(MaskHeatmapTest, ColoursKeptWeightsByMagnitudeAndNamesTheValueUnderTheCursor)
{
    MaskHeatmap map;
    map.resize(400, 300);
    const MaskSnapshot mask = maskOf("fc", {3, 4}, kFcKept);
    std::vector<float> weights(12, 0.0f);
    weights[0] = 0.5f;  // kept, large
    weights[2] = 0.05f;  // kept, small
    map.setMask(mask, weights);
    const QColor strong(map.image().pixel(map.cellPixel(0, 0))), weak(map.image().pixel(map.cellPixel(0, 2)));
    EXPECT_LT(strong.lightness(), weak.lightness());  // darker = larger |w|
    EXPECT_EQ(map.image().pixel(map.cellPixel(0, 1)), MaskHeatmap::prunedColour());
    EXPECT_EQ(map.describePixel(map.cellPixel(0, 0)), "output 0, input 0: kept, w = 0.5");
    // A weight vector of the wrong size (a thinned network) is not used.
    map.setMask(mask, std::vector<float>(5, 1.0f));
    EXPECT_EQ(map.image().pixel(map.cellPixel(0, 0)), MaskHeatmap::keptColour());
    // Fitted to the widget: the 4 × 3 mask fills it, each weight a block of pixels.
    EXPECT_DOUBLE_EQ(map.zoom(), 100.0);
}

TEST(MaskHeatmapTest, HoverNamesTheCellAndZoomKeepsItUnderTheCursor)
{
    MaskHeatmap map;
    map.resize(400, 300);
    map.setMask(maskOf("fc", {3, 4}, kFcKept));
    ASSERT_DOUBLE_EQ(map.zoom(), 100.0);  // fitted: each weight 100 × 100 pixels from (0, 0)
    QSignalSpy hovered(&map, &MaskHeatmap::hovered);
    const QPointF overOutput2Input1(150, 250);
    QMouseEvent move(QEvent::MouseMove, overOutput2Input1, map.mapToGlobal(overOutput2Input1), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&map, &move);
    ASSERT_EQ(hovered.count(), 1);
    EXPECT_EQ(hovered.at(0).at(0).toString(), "output 2, input 1: pruned");

    QWheelEvent wheel(overOutput2Input1, map.mapToGlobal(overOutput2Input1), {}, QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(&map, &wheel);
    EXPECT_GT(map.zoom(), 100.0);
    QCoreApplication::sendEvent(&map, &move);
    EXPECT_EQ(hovered.at(1).at(0).toString(), "output 2, input 1: pruned");
    map.fitToView();
    EXPECT_DOUBLE_EQ(map.zoom(), 100.0);
}
