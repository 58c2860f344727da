#!/usr/bin/env bash
# The bench's OpenCL rows on a GPU (issue 13, "Speed"). A GPU machine may have no dotnet, so
# this builds a self-contained bench (`dotnet publish -r linux-x64 --self-contained`), which
# runs anywhere with glibc, and runs its OpenCL rows on the first OpenCL device: every
# workload's `jit (opencl)` variant beside the CPU's `jit`, plus x @ x.T at n = 4096 on a GPU.
# It prints the table and, for the rows with a rate, the share of the device's peak memory
# bandwidth or float32 FLOP/s when the GPU is one it knows (or JAXSHARP_PEAK_GBS and
# JAXSHARP_PEAK_GFLOPS are set).
#
#   bench/gpu.sh            build, then run here
#   bench/gpu.sh build      build only, into bench/out/gpu: copy that folder and this script
#                           to the GPU machine, then run `gpu.sh run DIR` there
#   bench/gpu.sh run [DIR]  run a build (default: bench/out/gpu beside this script)
#
# The GPU machine needs its vendor's OpenCL driver and the ICD loader (NVIDIA: the driver's
# OpenCL ICD, /etc/OpenCL/vendors/nvidia.icd, and libOpenCL.so.1 from ocl-icd-libopencl1).
# BUDGET sets the seconds spent per row (default 2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/out/gpu"

build() {
    dotnet publish "$here/JaxSharp.Bench.fsproj" -c Release -r linux-x64 --self-contained -o "$out" -v quiet -nologo
    cp "$here/gpu.sh" "$out/gpu.sh"
    echo "built $out (self-contained: copy the folder; run it with: $out/gpu.sh run $out)"
}

# Vendor datasheet peaks, "GB/s GFLOP/s" (float32, without tensor cores), by the GPU's name.
known_peak() {
    case "$1" in
        *H200*) echo "4800 66900" ;;
        *H100*NVL*) echo "3900 60000" ;;
        *H100*PCIe*) echo "2000 51200" ;;
        *H100*) echo "3350 66900" ;;
        *A100*80GB*PCIe*) echo "1935 19500" ;;
        *A100*80GB*) echo "2039 19500" ;;
        *A100*) echo "1555 19500" ;;
        *V100*) echo "900 15700" ;;
        *L40S*) echo "864 91600" ;;
        *L40*) echo "864 90500" ;;
        *L4*) echo "300 30300" ;;
        *A10*) echo "600 31200" ;;
        *T4*) echo "320 8100" ;;
        *"RTX 4090"*) echo "1008 82600" ;;
        *"RTX 3090"*) echo "936 35600" ;;
        *) echo "" ;;
    esac
}

run() {
    local dir="${1:-$out}"
    if [ ! -x "$dir/JaxSharp.Bench" ]; then
        echo "no bench in $dir: run 'bench/gpu.sh build' first" >&2
        exit 1
    fi
    if [ -d /etc/OpenCL/vendors ]; then
        echo "OpenCL drivers: $(ls /etc/OpenCL/vendors | tr '\n' ' ')"
    else
        echo "warning: /etc/OpenCL/vendors is missing: no OpenCL driver is registered, so the OpenCL rows will be skipped" >&2
    fi
    if command -v nvidia-smi > /dev/null; then
        local name
        name="$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
        echo "GPU: $name"
        local peak
        peak="$(known_peak "$name")"
        if [ -n "$peak" ]; then
            export JAXSHARP_PEAK_GBS="${JAXSHARP_PEAK_GBS:-${peak% *}}"
            export JAXSHARP_PEAK_GFLOPS="${JAXSHARP_PEAK_GFLOPS:-${peak#* }}"
            echo "peak (datasheet): $JAXSHARP_PEAK_GBS GB/s, $JAXSHARP_PEAK_GFLOPS GFLOP/s float32"
        else
            echo "peak unknown for $name: set JAXSHARP_PEAK_GBS and JAXSHARP_PEAK_GFLOPS to get the % of peak"
        fi
    fi
    # no ICU needed on a bare machine; binaries cached beside the build
    export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
    export JAXSHARP_CACHE_DIR="${JAXSHARP_CACHE_DIR:-$dir/opencl-cache}"
    "$dir/JaxSharp.Bench" --device opencl --budget "${BUDGET:-2}"
}

case "${1:-all}" in
    build) build ;;
    run) run "${2:-}" ;;
    all) build && run ;;
    *) echo "usage: bench/gpu.sh [build | run [DIR]]" >&2; exit 2 ;;
esac
