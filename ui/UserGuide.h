#pragma once
// Help ▸ Contents: the user guide shipped inside the program. The prose (getting started, the
// taxonomy glossary, the metrics) is a resource; the method cards come from the method catalogue
// and the shortcuts from the window's own actions, so neither can drift from the program.

#include <QDialog>
#include <QString>

#include <vector>

class QLineEdit;
class QTextBrowser;

namespace prunescope {

struct ShortcutEntry {
    QString action;  // "Run experiment" (mnemonic ampersands removed)
    QString keys;  // "Ctrl+R, F5" in the platform's native text
};

// Every action under `root` that has a shortcut, one entry per action text, sorted by text.
std::vector<ShortcutEntry> shortcutsOf(const QObject& root);

// The whole guide as one HTML page with a table of contents and anchors: #start, #taxonomy,
// #metrics, #reproduce, #files, #methods (one #method-<id> per method), #shortcuts.
QString userGuideHtml(const std::vector<ShortcutEntry>& shortcuts);

class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    UserGuideDialog(const QString& html, QWidget* parent = nullptr);

    // Scrolls to an anchor of userGuideHtml ("metrics", "method-snip").
    void showSection(const QString& anchor);
    // Finds the next occurrence of text (wrapping round); false when there is none.
    bool findNext(const QString& text);

private:
    QTextBrowser* m_browser = nullptr;
    QLineEdit* m_find = nullptr;
};

}  // namespace prunescope
