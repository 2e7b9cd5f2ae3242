// Must not compile: weight sharing and its file sit below the methods that use them.
#include "fusion/WeightSharing.h"
#include "methods/PruningMethod.h"
