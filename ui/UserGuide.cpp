#include "UserGuide.h"

#include "core/MethodInfo.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QFile>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace prunescope {

namespace {

QString html(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString handWrittenSections()
{
    QFile file(":/guide/user-guide.html");
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("<p>The guide's text is missing from this build (:/guide/user-guide.html).</p>");
    return QString::fromUtf8(file.readAll());
}

QString parameterRange(const ParamSpec& spec)
{
    switch (spec.type) {
    case ParamType::Bool:
        return QStringLiteral("on / off");
    case ParamType::Int:
        return QStringLiteral("%1 … %2").arg(qlonglong(spec.minimum)).arg(qlonglong(spec.maximum));
    case ParamType::Double:
        return QStringLiteral("%1 … %2").arg(spec.minimum).arg(spec.maximum);
    case ParamType::String: {
        QStringList choices;
        for (const auto& choice : spec.choices)
            choices << html(choice);
        return choices.join(QStringLiteral(", "));
    }
    }
    return {};
}

QString taxonomyLine(const Taxonomy& taxonomy)
{
    QStringList tags{html(displayName(taxonomy.speedup)), html(displayName(taxonomy.when)),
                     html(displayName(taxonomy.criterion))};
    if (taxonomy.learnToPrune != LearnToPrune::None)
        tags << html(displayName(taxonomy.learnToPrune));
    if (taxonomy.approach != Approach::None)
        tags << html(displayName(taxonomy.approach));
    if (taxonomy.fusion != Fusion::None)
        tags << html(displayName(taxonomy.fusion));
    return QStringLiteral("<a href=\"#taxonomy\">%1</a>").arg(tags.join(QStringLiteral(" · ")));
}

QString methodCard(const MethodInfo& method)
{
    const MethodCard& card = method.card;
    QString text = QStringLiteral("<h3 id=\"method-%1\">%2</h3>").arg(html(method.id), html(card.title));
    text += QStringLiteral("<p><i>%1, %2 %3</i> — <code>%4</code><br>%5</p>")
                .arg(html(card.authors), html(card.venue), QString::number(card.year), html(method.id),
                     taxonomyLine(method.taxonomy));
    text += QStringLiteral("<p>%1</p>").arg(html(card.rule));
    text += QStringLiteral("<p><b>Good at:</b> %1<br><b>Costs:</b> %2</p>").arg(html(card.goodAt), html(card.badAt));
    if (!method.params.empty()) {
        text += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
                               "<tr><th>parameter</th><th>default</th><th>range</th><th>meaning</th></tr>");
        for (const ParamSpec& spec : method.params)
            text += QStringLiteral("<tr><td><code>%1</code></td><td>%2</td><td>%3</td><td>%4</td></tr>")
                        .arg(html(spec.name), html(paramToString(spec.defaultValue)), parameterRange(spec),
                             html(spec.help));
        text += QStringLiteral("</table>");
    }
    return text;
}

// The catalogue grouped as the study plan walks through it: by when the method prunes.
QString methodSections()
{
    const WhenToPrune order[]
        = {WhenToPrune::BeforeTraining, WhenToPrune::DuringTraining, WhenToPrune::AfterTraining, WhenToPrune::RunTime};
    QString text = QStringLiteral("<h2 id=\"methods\">The methods</h2>");
    for (WhenToPrune when : order) {
        QString group;
        for (const MethodInfo& method : methodCatalogue())
            if (method.taxonomy.when == when)
                group += methodCard(method);
        if (!group.isEmpty()) {
            QString heading = html(displayName(when));
            heading[0] = heading[0].toUpper();
            text += QStringLiteral("<h2>%1</h2>").arg(heading) + group;
        }
    }
    return text;
}

QString shortcutSection(const std::vector<ShortcutEntry>& shortcuts)
{
    QString text = QStringLiteral("<h2 id=\"shortcuts\">Keyboard shortcuts</h2>");
    text += QStringLiteral(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr><th>keys</th><th>action</th></tr>");
    for (const ShortcutEntry& entry : shortcuts)
        text += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(entry.keys.toHtmlEscaped(), entry.action.toHtmlEscaped());
    return text + QStringLiteral("</table>");
}

}  // namespace

std::vector<ShortcutEntry> shortcutsOf(const QObject& root)
{
    std::map<QString, QString> byAction;
    for (const QAction* action : root.findChildren<QAction*>()) {
        QStringList keys;
        for (const QKeySequence& sequence : action->shortcuts())
            if (!sequence.isEmpty())
                keys << sequence.toString(QKeySequence::NativeText);
        if (keys.isEmpty())
            continue;
        QString name = action->text();
        name.remove(QLatin1Char('&'));
        name.remove(QStringLiteral("…"));
        byAction.emplace(name.trimmed(), keys.join(QStringLiteral(", ")));
    }
    std::vector<ShortcutEntry> entries;
    for (const auto& [action, keys] : byAction)
        entries.push_back({action, keys});
    return entries;
}

QString userGuideHtml(const std::vector<ShortcutEntry>& shortcuts)
{
    QString page = QStringLiteral("<h1>PruneScope user guide</h1><p><b>Contents:</b> "
                                  "<a href=\"#start\">Getting started</a> · "
                                  "<a href=\"#taxonomy\">The taxonomy</a> · "
                                  "<a href=\"#metrics\">The metrics</a> · "
                                  "<a href=\"#reproduce\">Reproducing a number</a> · "
                                  "<a href=\"#files\">Files, data and installation</a> · "
                                  "<a href=\"#methods\">The methods</a> · "
                                  "<a href=\"#shortcuts\">Keyboard shortcuts</a></p>");
    QString methods = QStringLiteral("<p>");
    for (const MethodInfo& method : methodCatalogue())
        methods += QStringLiteral("<a href=\"#method-%1\">%2</a> · ").arg(html(method.id), html(method.card.title));
    methods.chop(3);
    page += methods + QStringLiteral("</p>");
    return page + handWrittenSections() + methodSections() + shortcutSection(shortcuts);
}

UserGuideDialog::UserGuideDialog(const QString& html, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("PruneScope user guide"));
    setObjectName("userGuide");
    m_browser = new QTextBrowser;
    m_browser->setObjectName("userGuideBrowser");
    m_browser->setOpenLinks(true);
    m_browser->setOpenExternalLinks(false);
    m_browser->setHtml(html);

    m_find = new QLineEdit;
    m_find->setObjectName("userGuideFind");
    m_find->setPlaceholderText(tr("Find in the guide (Ctrl+F, Enter for the next)"));
    m_find->setClearButtonEnabled(true);
    auto* notFound = new QLabel;
    connect(m_find, &QLineEdit::returnPressed, this,
            [this, notFound] { notFound->setText(findNext(m_find->text()) ? QString() : tr("Not found")); });
    auto* focusFind = new QShortcut(QKeySequence::Find, this);
    connect(focusFind, &QShortcut::activated, this, [this] {
        m_find->setFocus();
        m_find->selectAll();
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* findRow = new QHBoxLayout;
    findRow->addWidget(m_find, 1);
    findRow->addWidget(notFound);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(findRow);
    layout->addWidget(m_browser, 1);
    layout->addWidget(buttons);
    resize(760, 640);
}

void UserGuideDialog::showSection(const QString& anchor)
{
    m_browser->scrollToAnchor(anchor);
}

bool UserGuideDialog::findNext(const QString& text)
{
    if (text.isEmpty())
        return false;
    if (m_browser->find(text))
        return true;
    QTextCursor start = m_browser->textCursor();
    start.movePosition(QTextCursor::Start);
    m_browser->setTextCursor(start);
    return m_browser->find(text);
}

}  // namespace prunescope
