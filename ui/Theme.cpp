#include "Theme.h"

#include "ChartStyle.h"

#include <QAbstractBarSeries>
#include <QAreaSeries>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QPalette>
#include <QProcess>
#include <QStyle>
#include <QStyleFactory>
#include <QXYSeries>

#include <vector>

namespace prunescope {
namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6), disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

bool s_dark = false;

}  // namespace

ThemeChoice themeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return ThemeChoice::Light;
    if (name == QLatin1String("dark"))
        return ThemeChoice::Dark;
    return ThemeChoice::System;
}

QString themeName(ThemeChoice choice)
{
    switch (choice) {
    case ThemeChoice::Light:
        return QStringLiteral("light");
    case ThemeChoice::Dark:
        return QStringLiteral("dark");
    case ThemeChoice::System:
        break;
    }
    return QStringLiteral("system");
}

bool systemPrefersDark()
{
    if (qEnvironmentVariable("GTK_THEME").endsWith(QLatin1String(":dark"), Qt::CaseInsensitive))
        return true;
    // Qt 6.4 has no colour-scheme hint on Linux yet; GNOME's setting is one quick process away.
    QProcess gsettings;
    gsettings.start(QStringLiteral("gsettings"), {"get", "org.gnome.desktop.interface", "color-scheme"});
    if (gsettings.waitForFinished(500) && gsettings.exitCode() == 0
        && gsettings.readAllStandardOutput().contains("prefer-dark"))
        return true;
    const QPalette platform = QApplication::style() ? QApplication::style()->standardPalette() : QPalette();
    return platform.color(QPalette::Window).lightness() < 128;
}

bool isDark(ThemeChoice choice)
{
    return choice == ThemeChoice::Dark || (choice == ThemeChoice::System && systemPrefersDark());
}

bool darkPaletteActive()
{
    return s_dark;
}

void applyChartTheme(QChart* chart, bool dark)
{
    if (!chart)
        return;
    // setTheme repaints every series in the theme's colours: keep the ones the chart chose.
    struct XY {
        QXYSeries* series;
        QPen pen;
        QBrush brush;
    };
    struct Bar {
        QBarSet* set;
        QBrush brush;
        QPen pen;
    };
    struct Area {
        QAreaSeries* series;
        QPen pen;
        QBrush brush;
    };
    std::vector<XY> xy;
    std::vector<Bar> bars;
    std::vector<Area> areas;
    for (QAbstractSeries* series : chart->series()) {
        if (auto* line = qobject_cast<QXYSeries*>(series))
            xy.push_back({line, line->pen(), line->brush()});
        else if (auto* area = qobject_cast<QAreaSeries*>(series))
            areas.push_back({area, area->pen(), area->brush()});
        else if (auto* barSeries = qobject_cast<QAbstractBarSeries*>(series))
            for (QBarSet* set : barSeries->barSets())
                bars.push_back({set, set->brush(), set->pen()});
    }
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    if (dark)
        chart->setBackgroundBrush(QColor(0x1e, 0x1f, 0x22));
    for (const auto& s : xy) {
        s.series->setPen(s.pen);
        s.series->setBrush(s.brush);
    }
    for (const auto& b : bars) {
        b.set->setBrush(b.brush);
        b.set->setPen(b.pen);
    }
    for (const auto& a : areas) {
        a.series->setPen(a.pen);
        a.series->setBrush(a.brush);
    }
    // The theme reset the fonts and the legend's colours: the house style again, at the chart's scale.
    styleChart(chart);
}

void applyTheme(bool dark, QWidget* root)
{
    s_dark = dark;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    if (!root)
        return;
    for (QChartView* view : root->findChildren<QChartView*>())
        applyChartTheme(view->chart(), dark);
}

}  // namespace prunescope
