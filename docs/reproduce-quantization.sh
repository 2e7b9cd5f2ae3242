#!/usr/bin/env bash
# Quantization on Fashion-MNIST from the command line (issue 16): LeNet-5 and VGG-small trained
# in fp32, then post-training quantization (8-bit per-channel symmetric weights, 8-bit affine
# activations, BatchNorm folded) with each observer; then 4-bit weights without retraining (PTQ,
# MSE observer) against quantization-aware training (QAT, 3 fine-tuning epochs), over 3 seeds.
# Accuracy is the quantized network simulated exactly (fake-quantize); bytes are bits × weights
# + a scale and zero point per channel + fp32 biases. The first TRAIN_LIMIT training images
# (default 10 000), all 10 000 test images. Writes docs/results/quantization.txt.
# Usage: docs/reproduce-quantization.sh [path to prunescope-cli]
#   env: TRAIN_LIMIT, EPOCHS (dense, default 8), QAT_EPOCHS (default 3), SEEDS (default "1 2 3"),
#        MODELS (default "lenet5 vgg_small"), SKIP_QAT=1, LATENCY_REPEATS (default 30), OUT (the
#        table file), WORK (a folder for the database and the dense cache)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-}
if [[ -z "$cli" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target prunescope-cli
  cli=build/release/app/prunescope-cli
fi
work=${WORK:-$(mktemp -d)}
db="$work/quantization.sqlite"
out=${OUT:-docs/results/quantization.txt}
train_limit=${TRAIN_LIMIT:-10000}
epochs=${EPOCHS:-8}
qat_epochs=${QAT_EPOCHS:-3}
seeds=${SEEDS:-"1 2 3"}
models=${MODELS:-"lenet5 vgg_small"}
common=(--db "$db" --cache-dir "$work/cache" --train-limit "$train_limit" --epochs "$epochs")
run() {  # run ARGS…: one run; the dense network comes from the cache after the first of a seed
  echo "\$ prunescope-cli run $*" >&2
  "$cli" run "${common[@]}" "$@" > /dev/null 2>&1
}
for model in $models; do
  for observer in minmax moving_average percentile mse; do
    # The MSE run also times the real int8 network against its fp32 module (batch 1 and 64).
    repeats=0
    [[ $observer == mse ]] && repeats=${LATENCY_REPEATS:-30}
    run --model "$model" --method ptq_int8 --seed 1 --param observer=$observer --name "ptq8 $model $observer" \
        --latency-repeats "$repeats"
  done
done
[[ ${SKIP_QAT:-0} == 1 ]] && seeds=""
for seed in $seeds; do
  run --model lenet5 --method ptq_int8 --seed "$seed" --param bits=4 --name "ptq4 lenet5 mse" --latency-repeats 0
  run --model lenet5 --method qat --latency-repeats 0 --seed "$seed" --param bits=4 --finetune-epochs "$qat_epochs" \
      --name "qat4 lenet5"
done
"$cli" list --db "$db" --json > "$work/runs.json"
for id in $(python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))))' "$work/runs.json"); do
  "$cli" show "$id" --db "$db" --json > "$work/run-$id.json"
done
python3 - "$train_limit" "$epochs" "$qat_epochs" "$work" > "$out" <<'PY'
import json, statistics, sys
limit, epochs, qat_epochs, work = sys.argv[1:5]
runs = [r for r in json.load(open(f"{work}/runs.json")) if r.get("summary")]
def int8_accuracy(run):
    steps = json.load(open(f"{work}/run-{run['id']}.json"))["pruning_steps"]
    return steps[-1]["metrics"].get("int8_test_accuracy")
def latency(summary, network, batch):
    for l in summary.get("latency", []):
        if l["network"] == network and l["batch"] == batch:
            return l["median_ms"]
    return None
pct = lambda x: 100.0 * x
print(f"Fashion-MNIST, first {limit} training images, 10 000 test images; dense {epochs} epochs.")
print("Accuracy in %; bytes on disk of the stored network (fp32: 4 bytes a parameter).\n")
print("Post-training int8 (per-channel symmetric weights, affine activations, BatchNorm folded), seed 1")
print("int8 sim %: simulated exactly (fake-quantize); int8 real %: the same network on LibTorch's int8 operators")
print(f"{'model':<10} {'observer':<15} {'fp32 %':>7} {'int8 sim %':>10} {'Δ pts':>6} {'int8 real %':>11} "
      f"{'fp32 B':>9} {'int8 B':>8}")
timed = []
for r in runs:
    if not r["name"].startswith("ptq8"):
        continue
    s = r["summary"]
    _, model, observer = r["name"].split()
    real = int8_accuracy(r)
    real_text = f"{pct(real):11.2f}" if real is not None else f"{'-':>11}"
    print(f"{model:<10} {observer:<15} {pct(s['dense_test_accuracy']):7.2f} {pct(s['test_accuracy']):10.2f} "
          f"{pct(s['test_accuracy'] - s['dense_test_accuracy']):+6.2f} {real_text} {s['dense_bytes']:9d} "
          f"{s['sparse_bytes']:8d}")
    if latency(s, "int8", 1) is not None:
        timed.append((model, s))
print()
if timed:
    print("Latency, median ms (fp32 folded: the same BatchNorm-folded network's frozen fp32 module, timed")
    print("interleaved with the int8 one; dense: the runner's fastest fp32 deployment of the dense network)")
    print(f"{'model':<10} {'batch':>5} {'dense fp32':>10} {'fp32 folded':>11} {'int8':>8} {'int8/fp32':>9}")
    for model, s in timed:
        for batch in (1, 64):
            dense, folded, int8 = (latency(s, n, batch) for n in ("dense", "fp32 folded", "int8"))
            print(f"{model:<10} {batch:5d} {dense or 0:10.3f} {folded:11.3f} {int8:8.3f} {int8 / folded:9.2f}")
    print()
def stats(values):
    values = [pct(v) for v in values]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):6.2f} ± {sd:4.2f}"
ptq4 = [r["summary"] for r in runs if r["name"].startswith("ptq4")]
qat4 = [r["summary"] for r in runs if r["name"].startswith("qat4")]
if ptq4 and qat4:
    print(f"LeNet-5, 4-bit weights (per-channel symmetric), 8-bit activations: mean ± sd over {len(qat4)} seeds")
    fp32 = [s["dense_test_accuracy"] for s in qat4]
    print(f"  fp32                         {stats(fp32)}")
    print(f"  PTQ 4-bit, MSE observer      {stats([s['test_accuracy'] for s in ptq4])}")
    print(f"  PTQ 4-bit, min-max (QAT's)   {stats([s['pruned_test_accuracy'] for s in qat4])}")
    print(f"  QAT 4-bit, {qat_epochs} epochs          {stats([s['test_accuracy'] for s in qat4])}")
    gap = statistics.mean(fp32) - statistics.mean(s["test_accuracy"] for s in ptq4)
    left = statistics.mean(fp32) - statistics.mean(s["test_accuracy"] for s in qat4)
    print(f"  gap to fp32: PTQ {pct(gap):.2f} pts, QAT {pct(left):.2f} pts"
          + (f" (QAT recovers {100 * (gap - left) / gap:.0f} % of PTQ's gap)" if gap > 0 else ""))
    print(f"  bytes: fp32 {qat4[0]['dense_bytes']}, 4-bit {qat4[0]['sparse_bytes']}")
PY
cat "$out"
echo "database: $db"
