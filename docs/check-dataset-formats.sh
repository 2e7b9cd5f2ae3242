#!/usr/bin/env bash
# Real-data check of the dataset loaders (issue 15, "Done when 1"): Fashion-MNIST written out as
# a PNG image folder and as CIFAR-10-format binary files trains to the same test accuracy as the
# IDX path under the same model, recipe and seed.
#
#   bash docs/check-dataset-formats.sh BUILD_DIR [OUT_FILE]     (e.g. build/dev)
#   ROWS='padded|CIFAR' bash docs/check-dataset-formats.sh ...   only the rows whose name matches
#
# What is compared with what, and why:
#  - PNG folder (grey, 28×28, train/ and test/ with one folder per class; PNG is lossless). An
#    image folder lists a split by class, so its sample order differs from the IDX files'; the
#    same images written as IDX files in that order ("IDX, by class") must give identical
#    numbers, and the IDX files in their own order the same accuracy within the sample-order
#    noise.
#  - CIFAR-10 binary (records of 3×32×32: each 28×28 image zero-padded by 2 pixels on every side,
#    its grey copied into all three channels, in the IDX order). The format fixes 3×32×32, so
#    the network's first layer sees three (equal) channels; the same padded images as 1×32×32
#    IDX files ("IDX, padded") are the nearest IDX run: same pixels, same order, same per-channel
#    statistics, a first layer with one input channel instead of three.
# Dense training and fine-tuning without augmentation (--no-augment), so every run sees the
# same pixels.
set -euo pipefail
build=$(realpath "$1")
out=${2:-/dev/stdout}
cli=$build/app/prunescope-cli
tool=$build/tests/support/write_dataset
fashion=/usr/share/datasets/fashion-mnist
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/xdg-cache

"$tool" png-folder "$fashion" "$work/png"
"$tool" idx-by-class "$fashion" "$work/idx-by-class"
"$tool" cifar10 "$fashion" "$work/cifar10"
"$tool" idx-padded "$fashion" "$work/idx-padded"

model=${MODEL:-lenet5}
common=(--db "$work/runs.sqlite" --cache-dir "$work/dense" --model "$model" --method global_magnitude
        --sparsity 0.5 --epochs "${EPOCHS:-2}" --finetune-epochs 1 --seed 7 --threads 2 --latency-repeats 0
        --no-augment --json)
runs=(
  "IDX (Fashion-MNIST files)|--dataset idx --data $fashion"
  "IDX, by class|--dataset idx --data $work/idx-by-class"
  "PNG folder|--dataset image-folder --data $work/png"
  "IDX, padded 1×32×32|--dataset idx --data $work/idx-padded"
  "CIFAR-10 binary 3×32×32|--dataset cifar10 --data $work/cifar10"
)
{
  echo "# $(date -u +%F) $model, 60 000 training images (10 % validation), 10 000 test, seed 7,"
  echo "# ${EPOCHS:-2} dense epochs, global magnitude 50 %, 1 fine-tuning epoch, no augmentation, 2 threads"
  printf '%-28s %12s %12s %10s\n' "data" "dense test" "final test" "seconds"
} >"$out"
for entry in "${runs[@]}"; do
  name=${entry%%|*}
  [[ $name =~ ${ROWS:-.} ]] || continue
  read -r -a options <<<"${entry#*|}"
  start=$(date +%s.%N)
  "$cli" run "${common[@]}" "${options[@]}" >"$work/result.json" 2>"$work/log.txt" || { cat "$work/log.txt" >&2; exit 1; }
  seconds=$(python3 -c "import time; print(round(time.time() - $start, 1))")
  python3 - "$name" "$seconds" "$work/result.json" >>"$out" <<'PY'
import json, sys
name, seconds, path = sys.argv[1], sys.argv[2], sys.argv[3]
summary = json.load(open(path))["summary"]
print(f"{name:<28} {summary['dense_test_accuracy'] * 100:11.2f}% {summary['test_accuracy'] * 100:11.2f}% {seconds:>10}")
PY
done
