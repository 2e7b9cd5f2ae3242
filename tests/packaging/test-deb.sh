#!/usr/bin/env bash
# The Debian package, as a user gets it: made, installed with apt, used, checked, removed.
#   bash tests/packaging/test-deb.sh [BUILD_DIR]      (default build/dev; as root, or with sudo)
#
# The package is made from an existing build tree with `cmake --build BUILD_DIR --target package`.
# CI passes its dev tree (RelWithDebInfo, tests built): the install rules are the same as a release
# tree's and CPack strips the programs, so the package holds the same files; only the compiler's
# optimisation level differs (-O2 -g instead of -O3). A separate release build would cost CI
# another full compile (~15 minutes on 2 cores), which it cannot afford; the README's
# `cmake --build --preset release --target package` makes the release package.
#
# Steps: make the .deb; `apt-get install ./prunescope_*.deb` (pulls in its Depends);
# `prunescope-cli --version`; one quick experiment with the installed CLI; the installed window
# started offscreen (--quit-after-show); desktop-file-validate, appstreamcli validate and the
# MIME database on the installed files; the man pages; lintian (no errors; warnings printed);
# then `apt-get remove` and a check that none of the package's files is left.
# It changes the machine (installs, then removes the package): CI machines are fresh; on a
# developer machine it refuses when a prunescope package is installed already.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/dev}
start=$(date +%s)
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
step() { echo "== test-deb [$(($(date +%s) - start)) s]: $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

if dpkg-query -W -f='${Status}' prunescope 2>/dev/null | grep -q "install ok installed"; then
  fail "a prunescope package is installed already: remove it first (apt remove prunescope)"
fi

step "making the package from $build"
[[ -f "$build/CMakeCache.txt" ]] || fail "$build is not a configured build tree (cmake --preset dev first)"
rm -f "$build"/prunescope_*.deb
cmake --build "$build" --target package -j 2 >"$build/package.log" 2>&1 || { cat "$build/package.log"; fail "cpack"; }
debs=("$build"/prunescope_*.deb)
deb=$(realpath "${debs[0]}")
[[ -f "$deb" ]] || fail "no prunescope_*.deb in $build"
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"
dpkg-deb --field "$deb" Package Version Depends Recommends

work=$(mktemp -d)
removed=0
cleanup() {
  if ((removed == 0)); then "${sudo_cmd[@]}" apt-get remove -y -qq prunescope >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "apt-get install $(basename "$deb")"
"${sudo_cmd[@]}" apt-get install -y -qq "$deb" >"$work/apt-install.log" 2>&1 || { cat "$work/apt-install.log"; fail "apt install"; }
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' | grep -v '^$' >"$work/files"

# A user's home of its own: settings, runs and caches land there, not in the machine's.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME"
cd "$work"

step "prunescope-cli --version"
[[ $(command -v prunescope-cli) == /usr/bin/prunescope-cli ]] || fail "prunescope-cli is not the installed /usr/bin one"
/usr/bin/prunescope-cli --version | tee version.txt
grep -qE '^prunescope-cli \(PruneScope\) [0-9]+\.[0-9]+\.[0-9]+$' version.txt || fail "--version: first line"
grep -qE '^Qt 6\.' version.txt || fail "--version: Qt"
grep -qE '^LibTorch 1\.13\.' version.txt || fail "--version: LibTorch"
grep -qE '^SQLite 3\.[0-9]+\.[0-9]+$' version.txt || fail "--version: SQLite (is Qt's SQLite driver installed?)"

step "one quick experiment with the installed CLI"
[[ -d /usr/share/datasets/fashion-mnist ]] || fail "Fashion-MNIST is not installed: the package Recommends dataset-fashion-mnist"
/usr/bin/prunescope-cli run --db runs.prunescope.sqlite --model lenet300100 --epochs 1 --finetune-epochs 1 \
  --train-limit 2000 --test-limit 500 --sparsity 0.5 --threads 2 --latency-repeats 0 --no-cache --json \
  >run.json 2>run.log || { cat run.log; fail "prunescope-cli run"; }
grep -q "\"status\":\"finished\"" run.json && grep -q "\"test_accuracy\"" run.json || { cat run.json; fail "the run did not finish with a test accuracy"; }
/usr/bin/prunescope-cli list --db runs.prunescope.sqlite | tee list.txt
grep -q "finished" list.txt || fail "the run is not listed as finished"

step "the installed window, offscreen, on that database"
QT_QPA_PLATFORM=offscreen timeout 120 /usr/bin/prunescope --quit-after-show "$work/runs.prunescope.sqlite" \
  >window.log 2>&1 || { cat window.log; fail "prunescope did not start and quit"; }
grep -q "the window was shown" window.log || { cat window.log; fail "the window was not shown"; }
/usr/bin/prunescope --version | grep -q '^prunescope (PruneScope) ' || fail "prunescope --version"

step "desktop entry, AppStream metainfo, MIME types, icons, man pages"
desktop=/usr/share/applications/io.github.prunescope.PruneScope.desktop
metainfo=/usr/share/metainfo/io.github.prunescope.PruneScope.metainfo.xml
desktop-file-validate "$desktop" || fail "desktop-file-validate"
grep -q '^Exec=prunescope %f$' "$desktop" || fail "the desktop entry does not pass the file (%f)"
# --no-net: CI has no network to check the screenshot and homepage URLs with.
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
[[ -f /usr/share/mime/packages/io.github.prunescope.PruneScope.xml ]] || fail "no MIME type file"
if command -v update-mime-database >/dev/null; then
  # shared-mime-info's trigger has rebuilt the database: the glob is known.
  grep -q 'application/x-prunescope-runs:\*\.prunescope\.sqlite' /usr/share/mime/globs2 \
    || fail "the MIME database does not know *.prunescope.sqlite"
fi
for size in 16 22 24 32 48 64 128 256 512; do
  icon=/usr/share/icons/hicolor/${size}x${size}/apps/io.github.prunescope.PruneScope.png
  [[ -f "$icon" ]] || fail "no $icon"
done
[[ -f /usr/share/icons/hicolor/scalable/apps/io.github.prunescope.PruneScope.svg ]] || fail "no scalable icon"
for page in prunescope prunescope-cli; do
  zcat "/usr/share/man/man1/$page.1.gz" | grep -q '^\.TH' || fail "no man page for $page"
done

step "lintian"
if command -v lintian >/dev/null; then
  # Root may run lintian; --fail-on error: warnings are listed in the README, errors fail.
  lintian --allow-root --fail-on error --no-tag-display-limit "$deb" | tee lintian.txt \
    || fail "lintian reports errors"
  echo "lintian: $(grep -c '^E:' lintian.txt || true) errors, $(grep -c '^W:' lintian.txt || true) warnings"
else
  fail "lintian is not installed (bash packaging/install-deps.sh installs it)"
fi

step "apt-get remove prunescope"
cd /
"${sudo_cmd[@]}" apt-get remove -y -qq prunescope >"$work/apt-remove.log" 2>&1 || { cat "$work/apt-remove.log"; fail "apt remove"; }
removed=1
status=$(dpkg-query -W -f='${Status}' prunescope 2>/dev/null || true)
[[ -z "$status" || "$status" == *"not-installed"* ]] || fail "after apt remove, dpkg says: $status"
left=()
while read -r path; do
  [[ -z "$path" || "$path" == / ]] && continue
  if [[ -L "$path" || -f "$path" ]]; then left+=("$path"); fi
done <"$work/files"
for dir in /usr/share/doc/prunescope; do [[ -e "$dir" ]] && left+=("$dir"); done
((${#left[@]} == 0)) || fail "apt remove left files of the package behind: ${left[*]}"
echo "none of the package's $(grep -c . "$work/files") paths is left"
step "done: the package installs, works and removes cleanly"
