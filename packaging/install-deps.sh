#!/usr/bin/env bash
# Installs every Debian package PruneScope needs to build, test and run, without questions.
# Idempotent: packages already present are skipped, so a second call costs a dpkg query only.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-format
  # engine: LibTorch (CPU) with a fast BLAS; the reference BLAS is ~30x slower for matmuls
  libtorch-dev libopenblas0-pthread nlohmann-json3-dev zlib1g-dev
  # datasets: image decoders for image folders, archives and downloads for CIFAR and the MNIST family
  libpng-dev libturbojpeg0-dev libarchive-dev libcurl4-openssl-dev
  # Qt 6 Widgets, Charts, SQL with the SQLite driver, SVG output
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev libqt6sql6-sqlite libqt6svg6-dev libgl-dev
  # the application icon's PNG sizes and the man pages, made at build time
  librsvg2-bin help2man
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the Debian package's checks (tests/packaging/test-deb.sh)
  lintian desktop-file-utils appstream
  # PyTorch for Python: the export test loads exported models with torch.jit.load and torch.load
  python3-torch
  # the default dataset
  dataset-fashion-mnist
  # a real X server for window checks and screenshots, and fonts to draw text with
  xvfb xauth fonts-dejavu-core
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

# Debian selects the BLAS through alternatives; make sure LibTorch gets OpenBLAS, not the reference one.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  target=$(update-alternatives --list "$alt" 2>/dev/null | grep -m1 openblas-pthread || true)
  [[ -n "$target" ]] && "${sudo_cmd[@]}" update-alternatives --set "$alt" "$target" >/dev/null
done
echo "install-deps: done"
