#!/usr/bin/env bash
# The kill loop of issue 17: KILLS (default 100) SIGKILLs at random moments of real runs on
# Fashion-MNIST (start-up, dense training, pruning, fine-tuning, storing), each into the same
# database. After every kill: SQLite's integrity_check says "ok", `prunescope-cli list` works, and
# every run finished before the loop exports exactly as it did before (JSON, byte for byte).
# Writes the figures to docs/results/kill-loop.txt. About 4 s per kill on 2 cores.
# Usage: docs/kill-loop.sh [path to prunescope-cli]     (KILLS=N, SEED=S, WORK=DIR to keep files)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-}
if [[ -z "$cli" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target prunescope-cli
  cli=build/release/app/prunescope-cli
fi
kills=${KILLS:-100}
RANDOM=${SEED:-17}
work=${WORK:-$(mktemp -d)}
db="$work/runs.sqlite"
python=/usr/bin/python3
run=("$cli" run --db "$db" --cache-dir "$work/cache" --model lenet300100 --train-limit 3000 --test-limit 1000
     --epochs 2 --finetune-epochs 1 --latency-repeats 3 --threads 2)

integrity() {
  "$python" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1"
}

# Runs finished before the loop, and what they export.
for seed in 1 2 3; do "${run[@]}" --seed "$seed" >/dev/null 2>&1; done
mapfile -t earlier < <("$cli" list --db "$db" --json | "$python" -c 'import json, sys; print("\n".join(str(r["id"]) for r in json.load(sys.stdin)))')
for id in "${earlier[@]}"; do "$cli" export "$id" --db "$db" --format json > "$work/before-$id.json"; done

intact=0 listed=0 unchanged=0 finished_during=0
for ((k = 1; k <= kills; k++)); do
  # 0 to 6 s after start: from LibTorch's start-up to the last epoch and the final writes.
  delay=$(printf '%d.%03d' $((RANDOM % 6)) $((RANDOM % 1000)))
  "${run[@]}" --seed $((100 + k)) >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then :; else finished_during=$((finished_during + 1)); fi
  wait "$pid" 2>/dev/null || true
  [[ $(integrity "$db") == ok ]] && intact=$((intact + 1))
  "$cli" list --db "$db" >/dev/null 2>&1 && listed=$((listed + 1))
  same=1
  for id in "${earlier[@]}"; do
    "$cli" export "$id" --db "$db" --format json | cmp -s - "$work/before-$id.json" || same=0
  done
  unchanged=$((unchanged + same))
  printf '\rkill %d/%d' "$k" "$kills" >&2
done
echo >&2

statuses=$("$cli" list --db "$db" --json | "$python" -c '
import collections, json, sys
print(", ".join(f"{n} {s}" for s, n in sorted(collections.Counter(r["status"] for r in json.load(sys.stdin)).items())))')
mkdir -p docs/results
{
  echo "Kill loop (docs/kill-loop.sh), $(date -u +%Y-%m-%d), $(nproc) cores, seed ${SEED:-17}"
  echo "runs: lenet300100 on Fashion-MNIST (3000 training images), killed with SIGKILL 0-6 s after start"
  echo "kills:                                   $kills ($finished_during runs had already ended)"
  echo "integrity_check ok after the kill:       $intact / $kills"
  echo "prunescope-cli list worked:              $listed / $kills"
  echo "earlier runs exported byte for byte:     $unchanged / $kills (${#earlier[@]} runs)"
  echo "runs in the database at the end:         $statuses"
} | tee docs/results/kill-loop.txt
[[ $intact == "$kills" && $listed == "$kills" && $unchanged == "$kills" ]]
