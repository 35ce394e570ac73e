#!/usr/bin/env bash
# Remote cache figures (bench/remote-cache.ts): the whole build in a fresh clone with a warm
# remote cache against a cold one, and the cache server's throughput for 50 MiB on loopback.
#   bench/remote-cache.sh [throughput|build]      RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_ISOLATE_PLUGINS=false NX_TUI=false CI=true RUNS="${RUNS:-3}"
exec node -r @swc-node/register bench/remote-cache.ts "$@"
