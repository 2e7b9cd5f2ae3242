#!/usr/bin/env bash
# The Blalock et al. sweep on Fashion-MNIST (issue 3): LeNet-300-100 and LeNet-5-Caffe,
# compression 2 … 64, three seeds, random / layer-wise magnitude / global magnitude / SNIP /
# SynFlow. LeNet-300-100 with the default recipe (10 dense epochs, 3 fine-tuning epochs);
# LeNet-5-Caffe, ten times the compute per image, with a laptop recipe: the first 20 000
# training images, 4 dense epochs, 1 fine-tuning epoch. SNIP and SynFlow train the sparse network
# from its initialisation with the dense recipe. One dense model per seed and model, cached.
# Writes each sweep's table and its charts (accuracy vs compression and vs effective MACs, mean
# ± sd over seeds) to docs/results/. About 40 min per model on 2 cores.
# Usage: docs/reproduce-sweep.sh [path to prunescope-cli] [path to prunescope]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-}
gui=${2:-}
if [[ -z "$cli" || -z "$gui" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target prunescope-cli prunescope
  cli=build/release/app/prunescope-cli
  gui=build/release/app/prunescope
fi
work=${WORK:-$(mktemp -d)}
mkdir -p docs/results
sweep=0
for model in lenet300100 lenet5caffe; do
  db="$work/$model.sqlite"
  recipe=()
  [[ $model == lenet5caffe ]] && recipe=(--train-limit 20000 --epochs 4 --finetune-epochs 1)
  "$cli" sweep --db "$db" --cache-dir "$work/cache" --model "$model" "${recipe[@]}" \
    --methods random,layerwise_magnitude,global_magnitude,snip,synflow \
    --compressions 2,4,8,16,32,64 --seeds 1,2,3 --name "Blalock sweep: $model" \
    | tee "docs/results/sweep-$model.txt"
  "$gui" --db "$db" --export-sweep-chart 1 --x compression --out "docs/results/sweep-$model.png"
  "$gui" --db "$db" --export-sweep-chart 1 --x macs --out "docs/results/sweep-$model-macs.png"
done
