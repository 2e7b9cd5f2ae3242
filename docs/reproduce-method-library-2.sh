#!/usr/bin/env bash
# Every method of the second method library (issue 6) once, end to end on Fashion-MNIST from the
# command line: the first 10 000 training images, all 10 000 test images, seed 1. Unstructured
# ones on LeNet-5-Caffe at 90 %, structured ones on VGG-small (BatchNorm) removing half the
# channels, run-time FBS on VGG-small. Prints each run's summary to
# docs/results/method-library-2.txt and its per-epoch method curves to
# docs/results/method-library-2-curves/RUN.csv. About 25 min on 2 cores.
# Usage: docs/reproduce-method-library-2.sh [path to prunescope-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-}
if [[ -z "$cli" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target prunescope-cli
  cli=build/release/app/prunescope-cli
fi
work=${WORK:-$(mktemp -d)}
db="$work/library2.sqlite"
out=docs/results/method-library-2.txt
curves=docs/results/method-library-2-curves
mkdir -p "$curves"
common=(--db "$db" --cache-dir "$work/cache" --train-limit 10000 --seed 1 --latency-repeats 0)
: > "$out"
run() {  # run ARGS…: one run, its summary appended to $out, its epochs CSV kept
  echo "\$ prunescope-cli run $*" | sed "s|$work|\$WORK|g" >> "$out"
  "$cli" run "${common[@]}" "$@" 2>/dev/null | sed "s|$work|\$WORK|g" | tee -a "$out"
  echo >> "$out"
  local id
  id=$("$cli" list --db "$db" --json | python3 -c 'import json,sys; print(max(r["id"] for r in json.load(sys.stdin)))')
  "$cli" export "$id" --db "$db" --format csv-epochs > "$curves/run-$id.csv"
}
for method in gmp set rigl movement; do
  run --model lenet5caffe --method "$method" --sparsity 0.9 --epochs 4 --finetune-epochs 0
done
for method in slimming ssl greg; do
  run --model vgg_small --method "$method" --param channel_ratio=0.5 --epochs 4 --finetune-epochs 1
done
# SFP at its own default, 30 %: with BatchNorm a zeroed filter's first gradients are scaled by
# γ/√ε, so zeroed filters come back large and at 50 % the choice swings from epoch to epoch.
run --model vgg_small --method sfp --param channel_ratio=0.3 --epochs 4 --finetune-epochs 1
run --model vgg_small --method early_bird --param channel_ratio=0.5 --param epsilon=0.1 --param window=2 \
    --epochs 8 --finetune-epochs 1
run --model vgg_small --method fbs --epochs 4 --finetune-epochs 2
# FBS: accuracy and the MACs each test input executed, per density (prunescope-cli show RUN).
fbs=$("$cli" list --db "$db" --json | python3 -c 'import json,sys; print(max(r["id"] for r in json.load(sys.stdin)))')
echo "\$ prunescope-cli show $fbs   # run-time densities" >> "$out"
"$cli" show "$fbs" --db "$db" | sed -n '/^DENSITY/,/^LAYER/p' | grep -v '^LAYER' | tee -a "$out"
echo "database: $db"
