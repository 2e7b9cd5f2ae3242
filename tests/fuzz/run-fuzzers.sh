#!/usr/bin/env bash
# The sanitizer step of CI (packaging/dev.sh test runs it after the normal suites; see
# docs/fuzzing.md): one clang build (the `fuzz` preset: ASan + UBSan, libFuzzer coverage) of the
# core, data and storage libraries, then
#   1. the core, data and storage suites under ASan + UBSan,
#   2. each libFuzzer target for a bounded time from the seed corpus in tests/fuzz/corpus.
# Fails on a failing test, a sanitizer report, or a fuzzer finding (crash, leak, UB, timeout, an
# allocation over the limit); the finding's input is kept in build/fuzz/findings/.
#
# Environment:
#   PRUNESCOPE_FUZZ_SECONDS   seconds per fuzz target (default 30)
#   PRUNESCOPE_FUZZ_TARGETS   which targets (default: all five)
#   PRUNESCOPE_SANITIZER_SUITES=0   skip step 1;  PRUNESCOPE_FUZZ_SECONDS=0 skips step 2
#   PRUNESCOPE_JOBS           build jobs (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${PRUNESCOPE_FUZZ_SECONDS:-30}
targets=${PRUNESCOPE_FUZZ_TARGETS:-"fuzz_idx_reader fuzz_config fuzz_run_store fuzz_image_file fuzz_cifar"}
jobs=${PRUNESCOPE_JOBS:-$(nproc 2>/dev/null || echo 2)}
suites=(test_core test_data test_storage)

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
start=$(date +%s)
cmake --preset fuzz "${launcher[@]}" >/dev/null
# shellcheck disable=SC2086  # targets is a list of names
cmake --build --preset fuzz -j "$jobs" --target ${targets} "${suites[@]}"
echo "run-fuzzers: built in $(($(date +%s) - start)) s"

symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[[ -x "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
# LibTorch and Qt are not instrumented; their one-time allocations at start-up are still checked
# for leaks at exit. halt_on_error: the first report fails the run.
export ASAN_OPTIONS=${ASAN_OPTIONS:-"halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:malloc_context_size=10:max_malloc_fill_size=0"}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-"print_stacktrace=1:halt_on_error=1"}

if [[ "${PRUNESCOPE_SANITIZER_SUITES:-1}" != 0 ]]; then
  suites_start=$(date +%s)
  # Each suite as one process: under ASan, loading LibTorch and the leak check at exit cost ~20 s
  # a process, which ctest's process per test would pay 80 times.
  for suite in core/test_core pruning/test_data storage/test_storage; do
    QT_QPA_PLATFORM=offscreen timeout 900 "build/fuzz/tests/$suite" --gtest_brief=1
  done
  echo "run-fuzzers: sanitizer suites passed in $(($(date +%s) - suites_start)) s"
fi

((seconds > 0)) || exit 0
failed=()
mkdir -p build/fuzz/findings
for target in $targets; do
  seeds=tests/fuzz/corpus/${target#fuzz_}
  # A scratch copy: what the run adds to the corpus stays in the build folder.
  work=build/fuzz/corpus/${target#fuzz_}
  mkdir -p "$work"
  cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  echo "run-fuzzers: $target for ${seconds} s"
  # Inputs up to 4 KiB (the seeds' size would otherwise cap them: 64 bytes for IDX), 16 KiB for
  # databases (the seed's size).
  max_len=4096
  [[ $target == fuzz_run_store ]] && max_len=16384
  if ! "build/fuzz/tests/fuzz/$target" "$work" -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 \
      -malloc_limit_mb=1024 -timeout=30 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/findings/$target-" 2>"build/fuzz/$target.log"; then
    tail -n 60 "build/fuzz/$target.log" >&2
    failed+=("$target")
  else
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|^#[0-9]+.*DONE' "build/fuzz/$target.log" || true
  fi
done
if ((${#failed[@]} > 0)); then
  echo "run-fuzzers: findings in ${failed[*]} (inputs in build/fuzz/findings/)" >&2
  exit 1
fi
echo "run-fuzzers: every target ran ${seconds} s without a finding; total $(($(date +%s) - start)) s"
