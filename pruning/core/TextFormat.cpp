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
