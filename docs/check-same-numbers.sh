#!/usr/bin/env bash
# Runs one small experiment per pruning schedule (and a structured one) with a given
# prunescope-cli and writes each stored run as JSON without the fields that depend on the clock
# or the machine (timestamps, durations, latency, paths, versions). Two builds that compute the
# same numbers give identical files: a refactoring is checked with
#   bash docs/check-same-numbers.sh OLD_CLI /tmp/old
#   bash docs/check-same-numbers.sh NEW_CLI /tmp/new
#   diff -r /tmp/old /tmp/new
# The files of the commit before the engine was split into modules are in
# docs/results/same-numbers/ (made on the 2-core machine of docs/benchmarks; one thread per run,
# so the float sums do not depend on the thread count).
set -euo pipefail
cli=$(realpath "$1")
out=$2
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--db "$work/runs.sqlite" --cache-dir "$work/cache" --train-limit 1500 --test-limit 300
        --epochs 1 --finetune-epochs 1 --threads 1 --latency-repeats 0)
runs=(
  "after-training-global-magnitude|--model lenet5 --method global_magnitude --sparsity 0.8"
  "after-training-structured-l1|--model lenet5 --method l1_filter --param channel_ratio=0.5"
  "post-training-wanda|--model lenet5 --method wanda --sparsity 0.7"
  "before-training-snip|--model lenet5 --method snip --sparsity 0.9"
  "iterative-lottery-ticket|--model lenet300100 --method lottery_ticket --param rounds=2"
  "during-training-gmp|--model lenet5 --method gmp --sparsity 0.8"
  "during-training-slimming|--model vgg_small --method slimming --param channel_ratio=0.3"
  "run-time-fbs|--model vgg_small --method fbs"
)
id=0
for entry in "${runs[@]}"; do
  name=${entry%%|*}
  read -r -a options <<<"${entry#*|}"
  "$cli" run "${common[@]}" "${options[@]}" >/dev/null 2>"$work/$name.log" || { cat "$work/$name.log"; exit 1; }
  id=$((id + 1))
  "$cli" show "$id" --db "$work/runs.sqlite" --json | python3 -c '
import json, sys
run = json.load(sys.stdin)
for key in ("id", "started_at", "finished_at", "host", "versions"):
    run.pop(key, None)
for key in ("duration_seconds", "model_file", "latency", "measured_speedup_batch1", "measured_speedup_batch64"):
    run["summary"].pop(key, None)
run["config"].pop("cache_directory", None)
run["config"]["dataset"].pop("directory", None)
json.dump(run, sys.stdout, indent=1, sort_keys=True)
print()' >"$out/$name.json"
  echo "$name: $(python3 -c "import json; print(round(json.load(open('$out/$name.json'))['summary']['test_accuracy'] * 100, 2))") %"
done
