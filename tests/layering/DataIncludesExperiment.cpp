// Must not compile: data sits below the orchestrator.
#include "experiment/Runner.h"
#include "data/Dataset.h"
