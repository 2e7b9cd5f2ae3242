// Must not compile: the model zoo knows nothing of pruning methods.
#include "methods/PruningMethod.h"
#include "models/Models.h"
