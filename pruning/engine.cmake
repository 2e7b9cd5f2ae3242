# The engine: LibTorch + the standard library (+ nlohmann_json, zlib). No Qt.
add_library(prunescope_pruning STATIC
  data/IdxReader.cpp
  data/Dataset.cpp
  models/Models.cpp
  masks/MaskSet.cpp
  criteria/Magnitude.cpp
  methods/MagnitudePruning.cpp
  methods/RandomPruning.cpp
  methods/MethodRegistry.cpp
  train/Trainer.cpp
  train/DenseCache.cpp
  metrics/ModelMetrics.cpp
  experiment/Runner.cpp
)
target_include_directories(prunescope_pruning PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(prunescope_pruning
  PUBLIC prunescope_core ${TORCH_LIBRARIES}
  PRIVATE nlohmann_json::nlohmann_json ZLIB::ZLIB)
# Torch's headers cost ~20 s per file; one precompiled header per target pays that once.
target_precompile_headers(prunescope_pruning PRIVATE <torch/torch.h>)
