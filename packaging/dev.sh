#!/usr/bin/env bash
# The two commands of the README, each doing all set-up on a fresh Debian machine:
#   packaging/dev.sh run    install dependencies, build, start PruneScope on its default experiment
#   packaging/dev.sh test   install dependencies, build, run the whole test suite; with
#                           PRUNESCOPE_PACKAGE_TEST=1 also the Debian package's test
#                           (tests/packaging/test-deb.sh on the dev tree)
#   packaging/dev.sh package          the release build's .deb (build/release/prunescope_*.deb)
#   packaging/dev.sh package-test     make, install, check and remove the .deb (root or sudo; it
#                                     installs the package on this machine for a minute)
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
    # On a fresh machine of its own (CI), the package made from the dev tree just built (no second,
    # release compile), installed, used and removed. Opt-in: installing a package system-wide is
    # not what `test` should do on a developer's machine (`dev.sh package-test` does it there).
    if [[ ${PRUNESCOPE_PACKAGE_TEST:-} == 1 ]]; then
      bash tests/packaging/test-deb.sh build/dev
    fi
    ;;
  package)
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs" --target package
    ls -l build/release/prunescope_*.deb
    ;;
  package-test)
    cmake --preset dev -DPRUNESCOPE_WARNINGS_AS_ERRORS=ON >/dev/null
    cmake --build --preset dev -j "$jobs"
    bash tests/packaging/test-deb.sh build/dev
    ;;
  *)
    echo "usage: packaging/dev.sh run|test|package|package-test [args]" >&2
    exit 2
    ;;
esac
