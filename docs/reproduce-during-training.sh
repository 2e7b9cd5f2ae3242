#!/usr/bin/env bash
# Pruning during training against pruning before and after it (issue 6): LeNet-5-Caffe on
# Fashion-MNIST at 90 % sparsity, three seeds, the same training budget for every method: five
# epochs over the first 20 000 training images (the laptop recipe of reproduce-sweep.sh).
# - one-shot global magnitude: 4 dense epochs, prune, 1 fine-tuning epoch;
# - GMP, RigL, SET: 5 epochs from the initialisation with the method acting during training;
# - SNIP: prune at initialisation, then 5 epochs of sparse training.
# The dense reference of each seed is trained (and cached) separately; it is not part of the
# budget of the during-training methods. About 30 min on 2 cores.
# Usage: docs/reproduce-during-training.sh [path to prunescope-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-}
if [[ -z "$cli" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target prunescope-cli
  cli=build/release/app/prunescope-cli
fi
work=${WORK:-$(mktemp -d)}
db="$work/during.sqlite"
out=docs/results/during-training-lenet5caffe.txt
mkdir -p docs/results
common=(--db "$db" --cache-dir "$work/cache" --model lenet5caffe --train-limit 20000 --sparsities 0.9
        --seeds 1,2,3 --latency-repeats 0)
{
  "$cli" sweep "${common[@]}" --epochs 4 --finetune-epochs 1 --methods global_magnitude \
    --name "one-shot magnitude + fine-tuning, 4 + 1 epochs"
  "$cli" sweep "${common[@]}" --epochs 5 --finetune-epochs 0 --methods gmp,rigl,set,snip \
    --name "during training and at initialisation, 5 epochs"
} | tee "$out"
