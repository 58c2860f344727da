#!/bin/sh
# Builds the TorchSharp peer and a stand-in libstdc++ for it (measurement only; see README of
# bench/TorchPeer in docs/benchmarks.md), then runs it with the arguments given:
# budget seconds, then key=name pairs. Prints JSON lines; exits 3 when the peer cannot be built.
set -e
here=$(cd "$(dirname "$0")" && pwd)
stub="$here/obj/stub"
real=$(readlink -f /usr/lib/x86_64-linux-gnu/libstdc++.so.6)
if [ ! -f "$stub/libstdc++.so.6" ]; then
  mkdir -p "$stub"
  python3 "$here/stub.py" "$real" "$stub" || exit 3
fi
if [ ! -f "$here/bin/Release/net10.0/TorchPeer.dll" ]; then
  dotnet build "$here/TorchPeer.fsproj" -c Release >&2 || exit 3
fi
LD_PRELOAD="$stub/libstdc++.so.6" exec dotnet "$here/bin/Release/net10.0/TorchPeer.dll" "$@"
