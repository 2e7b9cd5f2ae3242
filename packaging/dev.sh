#!/usr/bin/env bash
# The two commands of the README, each doing all set-up on a fresh Debian machine:
#   packaging/dev.sh run    install dependencies, build, start PruneScope on its default experiment
#   packaging/dev.sh test   install dependencies, build, run the whole test suite, then the sanitizer
#                           suites and the fuzz targets (PRUNESCOPE_SANITIZERS=0 skips those)
# Extra arguments after "run" go to the program (e.g. --quick, --db PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)

bash packaging/install-deps.sh

case "$command" in
  run)
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs"
    exec build/release/app/prunescope "$@"
    ;;
  test)
    # What CI checks: the build is warning-free under -Wall -Wextra (warnings are errors here).
    cmake --preset dev -DPRUNESCOPE_WARNINGS_AS_ERRORS=ON
    cmake --build --preset dev -j "$jobs"
    # Each test process runs LibTorch on all cores already; two at a time keeps both busy.
    QT_QPA_PLATFORM=offscreen ctest --preset dev -j 2 --timeout 900 "$@"
    # Then the sanitizer step: the core, data and storage suites under ASan + UBSan and each fuzz
    # target for a bounded time (tests/fuzz/run-fuzzers.sh, docs/fuzzing.md). On by default, in
    # CI and here; PRUNESCOPE_SANITIZERS=0 skips it for a quick local run.
    if [[ "${PRUNESCOPE_SANITIZERS:-1}" != 0 ]]; then
      bash tests/fuzz/run-fuzzers.sh
    fi
    ;;
  *)
    echo "usage: packaging/dev.sh run|test [args]" >&2
    exit 2
    ;;
esac
