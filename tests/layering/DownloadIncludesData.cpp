// Probe: the download module has no LibTorch (the window and the CLI include it cheaply), so it
// may not see the data module. Building this must stop at the include below.
#include "data/Dataset.h"
