// Must not compile: the run store uses only core types.
#include "models/Models.h"
#include "RunStore.h"
