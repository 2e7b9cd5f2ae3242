// Must compile: data builds on core.
#include "core/ExperimentConfig.h"
#include "data/IdxReader.h"
