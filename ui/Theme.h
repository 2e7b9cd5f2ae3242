#pragma once
// Light and dark: the application palette (Fusion, so every platform looks the same) and the
// charts' theme, with each series keeping the colour its chart gave it.

#include <QString>

class QChart;
class QWidget;

namespace prunescope {

enum class ThemeChoice { System, Light, Dark };

ThemeChoice themeFromName(const QString& name);  // "system" | "light" | "dark"; unknown → System
QString themeName(ThemeChoice choice);

// Whether the desktop asks for dark: GTK_THEME ending in ":dark", GNOME's color-scheme
// "prefer-dark" (read from gsettings when available), or a platform palette with a dark window.
bool systemPrefersDark();
bool isDark(ThemeChoice choice);

// Sets the application palette, then re-themes every chart under `root`.
void applyTheme(bool dark, QWidget* root);
// The chart theme only (for charts created later): keeps the series' own pens and brushes.
void applyChartTheme(QChart* chart, bool dark);
bool darkPaletteActive();

}  // namespace prunescope
