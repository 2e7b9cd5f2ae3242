#include "core/TextFormat.h"

#include "core/RunEvents.h"

#include <cmath>
#include <cstdlib>
#include <cstdio>

#include <sstream>

namespace prunescope {

std::string shapeText(const std::vector<int64_t>& shape, std::string_view separator)
{
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            text += separator;
        text += std::to_string(shape[i]);
    }
    return text;
}

bool isValidUtf8(std::string_view text)
{
    for (size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        size_t length = 0;
        uint32_t point = 0;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            point = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            point = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            point = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            point = (point << 6) | (next & 0x3F);
        }
        const uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        if (point < smallest || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

std::string withoutTorchBacktrace(const std::string& message)
{
    const auto isFrameLine = [](std::string_view line) {
        size_t start = line.find_first_not_of(' ');
        if (start == std::string_view::npos || line.compare(start, 7, "frame #") != 0)
            return false;
        size_t digits = start + 7;
        while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9')
            ++digits;
        return digits > start + 7 && digits < line.size() && line[digits] == ':';
    };
    std::string kept;
    kept.reserve(message.size());
    size_t begin = 0;
    while (begin <= message.size()) {
        size_t end = message.find('\n', begin);
        if (end == std::string::npos)
            end = message.size();
        std::string_view line(message.data() + begin, end - begin);
        // "Exception raised from f at file:line (most recent call first):" starts a line of its
        // own, or is glued to the end of the message's last line.
        bool cut = false;
        if (const size_t raised = line.find("Exception raised from "); raised != std::string_view::npos) {
            line = line.substr(0, raised);
            cut = true;
        }
        const bool keep = !isFrameLine(line) && !(cut && line.empty()) && !(line.empty() && end == message.size());
        if (keep) {
            kept.append(line);
            if (end < message.size())
                kept += '\n';
        }
        begin = end + 1;
    }
    while (!kept.empty() && (kept.back() == '\n' || kept.back() == ' ' || kept.back() == '\r'))
        kept.pop_back();
    return kept;
}

std::string terminalSafe(std::string_view text, bool keepNewlines)
{
    static const char* const hex = "0123456789abcdef";
    std::string safe;
    safe.reserve(text.size());
    const auto escape = [&](unsigned char byte) {
        safe += "\\x";
        safe += hex[byte >> 4];
        safe += hex[byte & 15];
    };
    for (size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            const bool allowed = byte >= 0x20 ? byte != 0x7f : byte == '\t' || (keepNewlines && byte == '\n');
            if (allowed)
                safe += char(byte);
            else
                escape(byte);
            ++i;
            continue;
        }
        // A UTF-8 sequence: its length from the lead byte, then continuation bytes; overlong
        // forms and surrogates are not excluded (they are not terminal controls).
        const size_t length = (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : (byte & 0xF8) == 0xF0 ? 4 : 0;
        bool valid = length >= 2 && byte >= 0xC2 && i + length <= text.size();
        for (size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        // U+0080..U+009F (C1 controls, e.g. CSI) are encoded as C2 80..C2 9F.
        if (valid && byte == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0)
            valid = false;
        if (!valid) {
            escape(byte);
            ++i;
            continue;
        }
        safe.append(text.substr(i, length));
        i += length;
    }
    return safe;
}

std::vector<std::string> splitCommaList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream list(text);
    std::string item;
    while (std::getline(list, item, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty())
            items.push_back(item);
    }
    return items;
}

std::string latencyText(const LatencyMeasurement& latency)
{
    char text[160];
    if (!latency.hasQuartiles()) {
        std::snprintf(text, sizeof text, "%.3f ms (p10–p90 %.3f–%.3f)", latency.medianMs, latency.p10Ms, latency.p90Ms);
        return text;
    }
    std::snprintf(text, sizeof text, "%.3f ms ± %.3f", latency.medianMs, (latency.p75Ms - latency.p25Ms) / 2);
    std::string result = text;
    if (latency.measuredOnBusyMachine()) {
        std::snprintf(text, sizeof text, " (busy machine: spread %.0f %%)", latency.relativeIqr() * 100);
        result += text;
    }
    return result;
}

std::string csvCell(std::string_view text)
{
    std::string cell(text);
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
        // strtod skips leading white space, so a tab or CR start is never taken for a number.
        char* end = nullptr;
        std::strtod(cell.c_str(), &end);
        const bool isNumber = end == cell.c_str() + cell.size() && cell.front() != '\t' && cell.front() != '\r';
        if (!isNumber)
            cell.insert(cell.begin(), '\'');
    }
    if (cell.find_first_of(",\"\n\r\t") == std::string::npos)
        return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace prunescope
