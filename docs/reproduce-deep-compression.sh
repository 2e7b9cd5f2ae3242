#!/usr/bin/env bash
# Deep Compression (Han, Mao & Dally, ICLR 2016) on Fashion-MNIST, LeNet-300-100 and LeNet-5,
# through prunescope-cli: layer-wise magnitude pruning with the paper's per-layer densities,
# fine-tuning, k-means weight sharing (8 bits conv, 5 bits fc, linear initialisation), centroid
# fine-tuning, Huffman coding into a .psdc file that the run writes, reads back and checks.
# Writes docs/results/deep-compression.md: fp32 bytes, pruning only, + sharing, + Huffman (the
# file's real size), compression ratio and test accuracy before and after.
#
#   bash docs/reproduce-deep-compression.sh [CLI] [OUT]
# Environment: EPOCHS (dense, default 6), FINETUNE (default 3), CENTROIDS (centroid
# fine-tuning epochs, default 1), SEED (default 1), THREADS (default 2), DATA (default the system
# Fashion-MNIST), WORK (keep the runs and logs in this folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=$(realpath "${1:-$here/../build/dev/app/prunescope-cli}")
out=${2:-$here/results/deep-compression.md}
epochs=${EPOCHS:-6}
finetune=${FINETUNE:-3}
centroids=${CENTROIDS:-1}
seed=${SEED:-1}
threads=${THREADS:-2}
data=${DATA:-/usr/share/datasets/fashion-mnist}
# WORK=DIR keeps the runs' database and logs there; by default a temporary folder, removed.
if [ -n "${WORK:-}" ]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# name | densities and bits. LeNet-5 twice: with the paper's bits (8 for conv), and with 5-bit conv
# weights and indices and fc1 at 5 % (this LeNet-5's convolutions hold 150 and 2,400 weights, so
# 256-entry codebooks and code tables cost more than the weights they index).
runs=(
  "LeNet-300-100|--model lenet300100 --param layer_sparsity=fc1=0.92,fc2=0.91,fc3=0.74"
  "LeNet-5|--model lenet5 --param layer_sparsity=conv1=0.34,conv2=0.88,fc1=0.92,fc2=0.81,fc3=0.7"
  "LeNet-5, 5-bit conv, fc1 5 %|--model lenet5 --param layer_sparsity=conv1=0.34,conv2=0.88,fc1=0.95,fc2=0.81,fc3=0.7 --param conv_bits=5 --param conv_index_bits=5"
)
names=()
for entry in "${runs[@]}"; do
  name=${entry%%|*}
  args=${entry#*|}
  names+=("$name")
  slug=$(echo "$name" | tr -dc 'A-Za-z0-9')
  # A run already in WORK (an interrupted reproduction) is kept.
  if [ -s "$work/$slug.json" ]; then
    continue
  fi
  # shellcheck disable=SC2086
  "$cli" run --db "$work/runs.sqlite" --cache-dir "$work/cache" --data "$data" --method deep_compression \
    $args --param include_classifier=true --param centroid_epochs="$centroids" --epochs "$epochs" \
    --finetune-epochs "$finetune" --seed "$seed" --threads "$threads" --latency-repeats 0 --json \
    > "$work/$slug.json" 2> "$work/$slug.log"
  echo "$name: $(grep 'deep compression:' "$work/$slug.log")" >&2
done

python3 - "$work" "$out" "$epochs" "$finetune" "$centroids" "$seed" "${names[@]}" <<'PY'
import json, re, sys, pathlib
work, out, epochs, finetune, centroids, seed = sys.argv[1:7]
rows = []
for name in sys.argv[7:]:
    slug = re.sub("[^A-Za-z0-9]", "", name)
    summary = json.load(open(f"{work}/{slug}.json"))["summary"]
    log = open(f"{work}/{slug}.log").read()
    sizes = re.search(r"deep compression: fp32 (\d+) bytes; pruning only (\d+) bytes.*?; \+ weight sharing (\d+) "
                      r"bytes.*?; \+ Huffman (\d+) bytes", log)
    pruned_acc = re.search(r"after pruning and fine-tuning: test accuracy ([\d.]+) %", log)
    fp32, pruned, shared, huffman = (int(g) for g in sizes.groups())
    dense = summary["dense_test_accuracy"] * 100
    final = summary["test_accuracy"] * 100
    rows.append((name, fp32, pruned, shared, huffman, dense, float(pruned_acc.group(1)), final,
                 summary["sparse_bytes"]))
lines = [
    "# Deep Compression on Fashion-MNIST",
    "",
    f"`bash docs/reproduce-deep-compression.sh` (dense {epochs} epochs, fine-tuning {finetune}, centroid "
    f"fine-tuning {centroids}, seed {seed}; the CLI's default recipe otherwise). Layer-wise magnitude pruning with "
    "the paper's per-layer densities (LeNet-300-100: fc1 8 %, fc2 9 %, fc3 26 % kept; LeNet-5: conv1 66 %, conv2 12 %, "
    "fc1 8 %, fc2 19 %, fc3 30 %), weight sharing at 8 bits (conv) and 5 bits (fc), linear initialisation, "
    "relative indices of 8 (conv) and 5 (fc) bits; the last row changes what its name says. Sizes in bytes; the ratio is fp32 / size. \"+ Huffman\" is the "
    "size of the .psdc file the run wrote, read back and decoded to the evaluated weights (the run's stored size).",
    "",
    "| network | fp32 | pruning only | + sharing | + Huffman (file) | ratio | accuracy dense | pruned | final | loss (points) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for name, fp32, pruned, shared, huffman, dense, pruned_acc, final, stored in rows:
    assert stored == huffman, (stored, huffman)
    lines.append(f"| {name} | {fp32} | {pruned} ({fp32/pruned:.1f}×) | {shared} ({fp32/shared:.1f}×) | {huffman} | "
                 f"{fp32/huffman:.1f}× | {dense:.2f} % | {pruned_acc:.2f} % | {final:.2f} % | {dense-final:+.2f} |")
pathlib.Path(out).parent.mkdir(parents=True, exist_ok=True)
pathlib.Path(out).write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
