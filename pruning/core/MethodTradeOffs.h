#pragma once
// The catalogue's second pass (MethodCatalogue.cpp): each method's trade-offs (the card's "good
// at" and "costs" lines) and its family within "when to prune", kept in tables of their own so
// the catalogue's entries stay one rule and one schema each.

#include "core/MethodInfo.h"

#include <vector>

namespace prunescope {

// Fills card.goodAt, card.badAt and taxonomy.approach of the methods the tables name.
void addTradeOffsAndFamilies(std::vector<MethodInfo>& methods);

}  // namespace prunescope
