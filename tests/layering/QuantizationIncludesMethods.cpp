// Must not compile: quantization is a building block under the methods, which use it.
#include "methods/PruningMethod.h"
#include "quantization/Observers.h"
