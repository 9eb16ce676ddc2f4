#!/usr/bin/env bash
# Issue 14's GPU run, in about 8 minutes (TOTAL seconds) on one NVIDIA GPU, with nothing but
# python3, torch, numpy (and jax for the probe) installed: no nox, no network.
#
#   bash tools/gpu_run.sh OUTDIR        # from the repository root
#
# 1. tools/relu0_volume.py at full scale: 1,000 networks per precision, 60,000 examples, the
#    authors' network (ReLU after hidden layers 2 and 3); the first 10 networks again one by
#    one (nn.Linear) as a check of the batching -> OUTDIR/relu0-volume-cuda.json
# 2. tools/framework_probe.py on cuda -> OUTDIR/frameworks-cuda.json
# 3. with the time left, the same estimation with a ReLU after every hidden layer (the network
#    of the authors' results file for batch sizes) -> OUTDIR/relu0-volume-cuda-every-layer.json
# Each step writes its log beside its record; a step that fails or times out does not stop
# the next. Each record is written as it goes, so a step cut short still leaves its results.
#
# Afterwards, in the repository:
#   python3 tools/framework_probe.py --merge OUTDIR/frameworks-cuda.json
#   cp OUTDIR/relu0-volume-cuda*.json docs/data/
#   (the chapter docs/relu0-at-scale.md then shows each as a table of its own)
#
# A trial on a CPU: DEVICE=cpu EXTRA="--networks 2 --examples 512" TOTAL=300 bash tools/gpu_run.sh /tmp/t
set -uo pipefail
out=${1:?usage: bash tools/gpu_run.sh OUTDIR}
device=${DEVICE:-cuda}
extra=${EXTRA:-}
total=${TOTAL:-470}
mkdir -p "$out"
export PYTHONUNBUFFERED=1
start=$SECONDS
left() { echo $((total - (SECONDS - start))); }

if [ "$device" = cuda ]; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | tee "$out/gpu.txt"
fi

# 1. Its time budget leaves about 150 s for the probe; the timeout is the hard stop.
budget=$(($(left) - 190))
# shellcheck disable=SC2086  # EXTRA is a list of arguments
timeout $((budget + 40)) python3 tools/relu0_volume.py --device "$device" $extra \
  --time-budget "$budget" --cross-check 10 --out "$out/relu0-volume-$device.json" \
  2>&1 | tee "$out/volume.log"
echo "relu0_volume: exit $?, $((SECONDS - start)) s so far"

# 2. The probe: JAX compiles every operation for the GPU on first use (most of its time).
probe=$(($(left) < 150 ? $(left) : 150))
timeout "$probe" python3 tools/framework_probe.py --devices "$device" \
  --out "$out/frameworks-$device.json" 2>&1 | tee "$out/probe.log"
echo "framework_probe: exit $?, $((SECONDS - start)) s so far"

# 3. Only with a minute or more to spare.
rest=$(($(left) - 20))
if [ "$rest" -ge 60 ]; then
  # shellcheck disable=SC2086
  timeout $((rest + 15)) python3 tools/relu0_volume.py --device "$device" $extra \
    --relu-after 1,2,3 --time-budget "$rest" --out "$out/relu0-volume-$device-every-layer.json" \
    2>&1 | tee "$out/volume-every-layer.log"
  echo "relu0_volume (ReLU after every hidden layer): exit $?, $((SECONDS - start)) s"
fi
echo "done in $((SECONDS - start)) s"
