// Must not compile: core is plain C++ that storage and the window use without LibTorch.
#include <torch/torch.h>
#include "core/RunEvents.h"
