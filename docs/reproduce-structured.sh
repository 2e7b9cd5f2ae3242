#!/usr/bin/env bash
# Structured vs unstructured pruning of VGG-small and ResNet-20 on Fashion-MNIST (issue 4):
# channels removed for real (L1-norm filters at 25 / 50 / 75 %, FPGM and random channels at 50 %)
# against global magnitude (90 %) and 2:4 semi-structured masks, which keep the dense shapes.
# Every run's network is then timed again, one run after another, on each network's fastest
# deployment path (TorchScript, BatchNorm folded, frozen; batch 1 and 64; median of REPEATS;
# dense and pruned in alternating blocks of five), and the figures,
# the speedup table and the chart of accuracy against measured latency go to docs/results/.
#
# Recipe (to fit a laptop): the first TRAIN_LIMIT training images, DENSE_EPOCHS dense epochs,
# FINETUNE_EPOCHS fine-tuning epochs, seed 1; the full 10 000 test images.
# Measure on a quiet machine: other work on the cores shows up in the latency figures.
# Usage: docs/reproduce-structured.sh [path to prunescope-cli] [path to prunescope]
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
TRAIN_LIMIT=${TRAIN_LIMIT:-20000}
DENSE_EPOCHS=${DENSE_EPOCHS:-4}
FINETUNE_EPOCHS=${FINETUNE_EPOCHS:-2}
REPEATS=${REPEATS:-50}
work=${WORK:-$(mktemp -d)}
db="$work/structured.sqlite"
mkdir -p docs/results
out=docs/results/structured
recipe=(--db "$db" --cache-dir "$work/cache" --train-limit "$TRAIN_LIMIT" --epochs "$DENSE_EPOCHS"
        --finetune-epochs "$FINETUNE_EPOCHS" --seed 1 --latency-repeats 0)

{
  echo "# docs/reproduce-structured.sh: TRAIN_LIMIT=$TRAIN_LIMIT DENSE_EPOCHS=$DENSE_EPOCHS FINETUNE_EPOCHS=$FINETUNE_EPOCHS REPEATS=$REPEATS"
  for model in vgg_small resnet20; do
    for ratio in 0.25 0.5 0.75; do
      "$cli" run "${recipe[@]}" --model "$model" --method l1_filter --param channel_ratio=$ratio
    done
    "$cli" run "${recipe[@]}" --model "$model" --method fpgm --param channel_ratio=0.5
    "$cli" run "${recipe[@]}" --model "$model" --method random_channel --param channel_ratio=0.5
    "$cli" run "${recipe[@]}" --model "$model" --method global_magnitude --sparsity 0.9
    "$cli" run "${recipe[@]}" --model "$model" --method nm_sparsity --param n=2 --param m=4
  done
  # Li et al.'s own ResNet recipe: half of each block's inner channels, the residual width kept.
  "$cli" run "${recipe[@]}" --model resnet20 --method l1_filter --param channel_ratio=0.5 --param prune_residual=false
} | tee "$out-runs.txt"

runs=$(seq 1 15)
# shellcheck disable=SC2086
"$cli" latency $runs --db "$db" --repeats "$REPEATS" | tee "$out-latency.txt"
# The same networks with oneDNN held to AVX2 (8-float vectors, as on most laptops): an 8-channel
# layer fills a whole vector there, and half of one with AVX-512. Printed only, not stored.
# shellcheck disable=SC2086
ONEDNN_MAX_CPU_ISA=AVX2 "$cli" latency $runs --db "$db" --repeats "$REPEATS" --keep | tee "$out-latency-avx2.txt"
"$cli" list --db "$db" >> "$out-runs.txt"
for run in 2 9; do  # L1-norm filters, 50 % of the channels: the per-layer table
  "$cli" show "$run" --db "$db" > "$out-run-$run.txt"
done
"$gui" --db "$db" --export-runs-chart "$(echo $runs | tr ' ' ,)" --x latency --out "$out-accuracy-vs-latency.png"
"$gui" --db "$db" --export-runs-chart "$(echo $runs | tr ' ' ,)" --x macs --out "$out-accuracy-vs-macs.png"
echo "database: $db"
