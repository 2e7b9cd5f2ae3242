// Only here to build the precompiled <torch/torch.h> that the engine modules share.
