#!/usr/bin/env bash
# Usage: ./build.sh [build|test|soak|demo|bench|pack|clean|restore|fsicheck]   (default: build)
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-build}" in
  build) target=Build ;;
  test) target=Test ;;
  soak) target=Soak ;;
  demo) target=Demo ;;
  bench) target=Bench ;;
  pack) target=Pack ;;
  clean) target=Clean ;;
  restore) target=Restore ;;
  fsicheck) target=FsiCheck ;;
  *) target=$1 ;;
esac

dotnet tool restore
dotnet paket restore
if [ ! -f .paket/load/net10.0/Build/build.group.fsx ]; then
  dotnet paket generate-load-scripts -g Build -f net10.0 -t fsx
fi
exec dotnet fsi build.fsx -t "$target"
