// Must not compile: the trainer reports cancellation through core, not through the runner.
#include "experiment/Runner.h"
#include "train/Trainer.h"
