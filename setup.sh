#!/usr/bin/env bash
# Set up, build and run riskstep on Debian 12 (as root, or with sudo available).
#   bash setup.sh main   install what is missing, build (Release), run the main job on built-in data
#   bash setup.sh test   install what is missing, build (Release), run the test suite (ctest)
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-}"
case "$mode" in main|test) ;; *) echo "usage: bash setup.sh main|test" >&2; exit 2 ;; esac

packages=(
  cmake ninja-build g++ pkg-config git
  libtorch-dev libopenblas0-pthread libopenmpi-dev openmpi-bin libhdf5-dev hdf5-tools libcli11-dev libgtest-dev
  libboost-math-dev libnlopt-cxx-dev libtomlplusplus-dev nlohmann-json3-dev libssl-dev
  python3 python3-numpy python3-h5py python3-pandas python3-matplotlib python3-scipy python3-torch
  python3-pytest
  dataset-fashion-mnist r-cran-fgarch
)
# The fuzz targets (tests/fuzz) need clang with libFuzzer; the Slurm end-to-end tests start a
# local one-node cluster, which needs root.
[ "$mode" != test ] || packages+=(clang-14 libclang-rt-14-dev)
[ "$mode" != test ] || [ "$(id -u)" -ne 0 ] || packages+=(slurmctld slurmd slurm-client munge)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build_dir="${RISKSTEP_BUILD_DIR:-build}"
# RISKSTEP_TORCH_DIR: another LibTorch (a CUDA one: README "GPU machines"); default Debian's.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  ${RISKSTEP_TORCH_DIR:+"-DRISKSTEP_TORCH_DIR=$RISKSTEP_TORCH_DIR"}
cmake --build "$build_dir" --parallel "$(nproc)"

if [ "$mode" = test ]; then
  cd "$build_dir"
  ctest --output-on-failure --timeout 1200 --parallel "$(nproc)"
else
  # The main job: both studies on built-in data, two MPI ranks.
  riskstep="$build_dir/riskstep"
  out="${RISKSTEP_OUT:-out/main}"
  mpirun=(mpirun -np 2 --oversubscribe); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
  echo "== VaR backtests on the synthetic market (jobs/specs/smoke.toml)"
  "${mpirun[@]}" "$riskstep" sweep jobs/specs/smoke.toml --out "$out/smoke"
  echo "== StepNet: ResNet-20 on Fashion-MNIST, 200 data-parallel steps"
  "${mpirun[@]}" "$riskstep" train --attention stepnet --epochs 2 --steps-per-epoch 100 --batch 64 \
    --threads 1 --test-subset 2000 --nsi-samples 500 --out "$out/stepnet.h5" --force
  echo "== reports (tables, figures, what was run; results layout: docs/hdf5-layout.md)"
  "$riskstep" report "$out/stepnet.h5" --out "$out/stepnet_report.html"
  "$riskstep" report "$out/smoke"
fi
