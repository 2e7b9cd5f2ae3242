#!/usr/bin/env bash
# Makes the README's screenshots in a real X window (Xvfb), as a user sees them:
#   1366×768 (the most common laptop screen), light and dark theme;
#   1920×1080 in presentation mode (a projector).
# Each shows the default experiment (LeNet-5, global magnitude 90 %) in Training, Layer sparsity
# and Masks, and a small sweep (three methods × three sparsities × two seeds, on the first 10 000
# images) in Compare. The runs are real; ~15 min on 2 cores. Then a ResNet-56 run on a CIFAR-format
# dataset (Fashion-MNIST's images written as CIFAR-10 binary files: 3×32×32, the grey copied into
# all three channels; the real CIFAR-10 needs a download this script does not do), FPGM's paper
# preset on a laptop budget: its Layer sparsity and Training tabs (~10 min more).
# Then the desktop program's own pictures: Help > Contents and About over the window, the first
# start without Fashion-MNIST, the application icon at 256 px and its menu entry (~1 min; only
# these with ONLY=desktop).
# Usage: docs/take-screenshots.sh [build dir, default build/dev] [work dir, default a new temp dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
work=${2:-$(mktemp -d)}
cli=$build/app/prunescope-cli
tour=$build/tests/ui/screenshot_tour
out=docs/screenshots
db=$work/runs.sqlite
mkdir -p "$out"

desktop_pictures() {
  local empty=$work/no-datasets
  mkdir -p "$empty/system" "$empty/xdg"
  "$cli" run --db "$work/help.sqlite" --cache-dir "$work/cache" --train-limit 2000 --test-limit 500 --epochs 1 \
    --finetune-epochs 1 --latency-repeats 0 --name "default experiment, quick" > /dev/null
  xvfb-run -a -s '-screen 0 1366x768x24' "$tour" --db "$work/help.sqlite" --out "$out" --theme light \
    --prefix laptop-light --help-pages
  PRUNESCOPE_SYSTEM_DATASETS="$empty/system" XDG_DATA_HOME="$empty/xdg" xvfb-run -a -s '-screen 0 1366x768x24' \
    "$tour" --db "$empty/runs.sqlite" --out "$out" --theme light --prefix laptop-light --first-start
  rsvg-convert --width 256 --height 256 resources/icons/io.github.prunescope.PruneScope.svg \
    --output "$out/icon-256.png"
  xvfb-run -a -s '-screen 0 1366x768x24' "$tour" --db "$empty/runs.sqlite" --out "$out" --prefix desktop \
    --menu-entry resources/linux/io.github.prunescope.PruneScope.desktop \
    --icon resources/icons/io.github.prunescope.PruneScope.svg
}
if [[ ${ONLY:-} == desktop ]]; then
  desktop_pictures
  echo "screenshots in $out"
  exit 0
fi

if [[ ! -s $db ]]; then
  "$cli" run --db "$db" --cache-dir "$work/cache" --name "default experiment" > "$work/default.txt"
  "$cli" sweep --db "$db" --cache-dir "$work/cache" --name "screenshot sweep" \
    --methods global_magnitude,layerwise_magnitude,snip --sparsities 0.5,0.8,0.95 --seeds 1,2 \
    --train-limit 10000 --epochs 2 --finetune-epochs 1 --latency-repeats 10 > "$work/sweep.txt"
fi
# The default experiment is the first run in the database.
run=1

xvfb-run -a -s '-screen 0 1366x768x24' "$tour" --db "$db" --out "$out" --theme light --prefix laptop-light --show-run $run \
  --report "$work/report.html"
xvfb-run -a -s '-screen 0 1366x768x24' "$tour" --db "$db" --out "$out" --theme dark --prefix laptop-dark --show-run $run
# The dataset picker with a CIFAR-10 download under way (from a local server that holds the transfer).
# An empty data folder of its own, so CIFAR-10 is "not installed" whatever this machine holds.
XDG_DATA_HOME="$work/data-home" xvfb-run -a -s '-screen 0 1366x768x24' "$tour" --db "$db" --out "$out" --theme light \
  --prefix laptop-light --download
xvfb-run -a -s '-screen 0 1920x1080x24' "$tour" --db "$db" --out "$out" --theme light --prefix projector --show-run $run --present

cifar_db=$work/cifar-runs.sqlite
if [[ ! -s $cifar_db ]]; then
  "$build/tests/support/write_dataset" cifar10 /usr/share/datasets/fashion-mnist "$work/fashion-as-cifar10"
  "$cli" run --db "$cifar_db" --cache-dir "$work/cache" --name "ResNet-56, FPGM, Fashion-MNIST as CIFAR-10 files" \
    --preset week02-paper-fpgm-resnet56-cifar10 --data "$work/fashion-as-cifar10" --train-limit 4000 --test-limit 1000 \
    --epochs 3 --lr 0.03 --finetune-epochs 1 --latency-repeats 5 > "$work/cifar.txt"
fi
xvfb-run -a -s '-screen 0 1366x768x24' "$tour" --db "$cifar_db" --out "$out" --theme light --prefix laptop-light-resnet56-cifar \
  --show-run 1 --tabs "Layer sparsity,Training"
# The report as a browser prints it: Chromium to PDF, its first page as PNG.
if command -v chromium > /dev/null && command -v pdftoppm > /dev/null; then
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$work/report.pdf" \
    "file://$work/report.html" 2> /dev/null
  pdftoppm -png -r 80 -f 1 -l 2 "$work/report.pdf" "$work/report-page"
  pages=("$work"/report-page-*.png)  # pdftoppm pads the number to the page count's width
  cp "${pages[0]}" "$out/report-printed-page1.png"
  cp "${pages[1]}" "$out/report-printed-page2.png"
else
  echo "chromium or pdftoppm (poppler-utils) missing: the printed report was not made" >&2
fi
desktop_pictures
echo "screenshots in $out; runs in $db"
