#!/usr/bin/env bash
# Reproduces the README's LeNet-5 / Fashion-MNIST figures with the release build:
# the default recipe (10 epochs, SGD + Nesterov, cosine), global magnitude pruning at 80 % and
# 90 % with 3 fine-tuning epochs, and the 90 % run once more with the dense model retrained from
# scratch instead of taken from the cache, which must print the same digits.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target prunescope-cli
cli=build/release/app/prunescope-cli
work=$(mktemp -d)
out=docs/results
mkdir -p "$out"
common=(--db "$work/runs.sqlite" --cache-dir "$work/cache")
"$cli" run "${common[@]}" --sparsity 0.8 | tee "$out/lenet5-global-magnitude-0.8.txt"
"$cli" run "${common[@]}" --sparsity 0.9 | tee "$out/lenet5-global-magnitude-0.9.txt"
"$cli" run "${common[@]}" --sparsity 0.9 --no-cache | tee "$out/lenet5-global-magnitude-0.9-again.txt"
"$cli" list --db "$work/runs.sqlite" | tee "$out/lenet5-runs.txt"
# Latency is this machine's measurement at this moment, not a result of the config: left out.
diff <(tail -n +2 "$out/lenet5-global-magnitude-0.9.txt" | grep -v latency) \
  <(tail -n +2 "$out/lenet5-global-magnitude-0.9-again.txt" | grep -v latency) \
  && echo "same config and seed: identical results"
