#pragma once
// One layer's mask as a picture. Linear: one row per output feature, one column per input.
// Conv: one row of k×k kernels per filter, input channels side by side, one pixel of gap
// between kernels. Kept weights dark (or coloured by |w| when weights are given), pruned ones
// light; a filter or input channel pruned entirely is tinted red, so removed channels stand
// out. Mouse wheel zooms around the cursor, dragging pans, double-click fits; hovering names the
// weight under the cursor.

#include "core/RunEvents.h"

#include <QImage>
#include <QPointF>
#include <QWidget>

#include <array>
#include <optional>

namespace prunescope {

class MaskHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit MaskHeatmap(QWidget* parent = nullptr);

    void clear(const QString& message = {});
    QString message() const { return m_message; }  // what an empty map says instead of a mask
    // weights: the layer's values in the mask's shape (row-major), or empty for kept/pruned only.
    void setMask(const MaskSnapshot& mask, const std::vector<float>& weights = {});

    const QImage& image() const { return m_image; }
    // Where element (out, in, y, x) sits in image(); y = x = 0 for linear layers.
    QPoint cellPixel(int64_t out, int64_t in, int64_t y = 0, int64_t x = 0) const;
    // What the pixel of image() shows ("filter 3, channel 1, kernel (0, 2): kept, w = 0.0412"),
    // or an empty string between kernels and outside.
    QString describePixel(QPoint imagePixel) const;
    int fullyPrunedFilters() const { return m_prunedFilters; }
    int fullyPrunedChannels() const { return m_prunedChannels; }
    double zoom() const { return m_zoom; }
    void fitToView();

    // The light canvas's colours; a dark palette (the dark theme) draws the mask on a dark
    // canvas: kept weights light, pruned ones dark.
    static QRgb keptColour();
    static QRgb prunedColour();
    static QRgb removedColour();  // pruned weight of an entirely pruned filter or channel
    struct Colours {
        QRgb kept, pruned, removed, gap;
        QRgb weakest, strongest;  // |w| from small to large, kept weights coloured by magnitude
    };
    static Colours coloursFor(bool dark);
    bool darkCanvas() const { return m_dark; }

Q_SIGNALS:
    void hovered(const QString& description);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void renderImage();  // m_image from the mask and the canvas's colours
    std::optional<std::array<int64_t, 4>> elementAt(QPoint imagePixel) const;
    QPointF toImage(QPointF widgetPoint) const;

    MaskSnapshot m_mask;
    std::vector<float> m_weights;
    QImage m_image;
    QString m_message;
    int64_t m_out = 0, m_in = 0, m_kh = 1, m_kw = 1;
    int m_prunedFilters = 0, m_prunedChannels = 0;
    double m_zoom = 1;
    QPointF m_offset;  // widget position of the image's top-left corner
    std::optional<QPointF> m_dragFrom;
    bool m_fitted = false;
    bool m_dark = false;
};

}  // namespace prunescope
