#include "core/TextFormat.h"

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

}  // namespace prunescope
