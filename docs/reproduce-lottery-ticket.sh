#!/usr/bin/env bash
# The lottery-ticket experiment on LeNet-300-100 / Fashion-MNIST (issue 3): 9 rounds pruning 20 %
# of the remaining hidden weights (10 % of the output layer), survivors reset to θ0 and retrained
# with the dense recipe; each round also trains the same mask from a fresh random initialisation
# (the control). Prints the per-round table; writes it to docs/results/.
# Usage: docs/reproduce-lottery-ticket.sh [path to prunescope-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-}
if [[ -z "$cli" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target prunescope-cli
  cli=build/release/app/prunescope-cli
fi
work=$(mktemp -d)
mkdir -p docs/results
"$cli" run --db "$work/runs.sqlite" --cache-dir "$work/cache" --model lenet300100 --method lottery_ticket \
  --param rounds=9 --param rate=0.2 --param output_rate=0.1 --param control=true \
  | tee docs/results/lenet300100-lottery-ticket.txt
"$cli" show 1 --db "$work/runs.sqlite" | tee docs/results/lenet300100-lottery-ticket-rounds.txt
