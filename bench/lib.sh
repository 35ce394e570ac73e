# Shared helpers for the bench scripts: timing, medians, a throwaway workspace copy.
# Source it: . "$(dirname "$0")/lib.sh"
set -euo pipefail
export NX_DAEMON=false NX_NO_CLOUD=true NX_ISOLATE_PLUGINS=false NX_TUI=false CI=true
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}

# Seconds (3 decimals) that "$@" takes; its output goes to $BENCH_LOG.
time_it() {
  local start end
  start=$(date +%s%N)
  "$@" >>"$BENCH_LOG" 2>&1 || { echo "bench: command failed: $* (log: $BENCH_LOG)" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Median of $RUNS timings of: setup (untimed, a shell snippet), then "$@".
median_of() {
  local setup=$1; shift
  for _ in $(seq "$RUNS"); do
    (cd "$WS" && eval "$setup") >>"$BENCH_LOG" 2>&1
    (cd "$WS" && time_it "$@")
  done | median
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# A copy of the workspace (tracked and untracked, not ignored), sharing node_modules and .venv.
make_workspace() {
  WS=$(mktemp -d /tmp/lava-bench-XXXXXX)
  BENCH_LOG="$WS.log"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents -P {} "$WS/" 2>/dev/null || true)
  ln -s "$ROOT/node_modules" "$WS/node_modules"
  ln -s "$ROOT/.venv" "$WS/.venv"
  trap 'rm -rf "$WS" "$BENCH_LOG"' EXIT
}

row() { printf '%-44s %9s s %9s s %8s\n' "$@"; }

# The lava version as version.py --all prints it, from the one version file.
lava_version() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print(v["__version_num__"] if sys.argv[2] == "num" else "%s (%s)" % (v["__version_num__"], v["__version_name__"]))' "$ROOT/packages/lava/lava/VERSION.json" "${1:-full}"; }

# The three cases every artefact bench prints: "$@" (an exported function) cold, restored from
# the local cache after rm -rf dist, and a no-op, each against $1, the direct tools' time.
print_cache_cases() {
  local title=$1 direct_time=$2; shift 2
  local cold restore noop
  cold=$(median_of 'rm -rf dist .nx/cache .nx/workspace-data' bash -c "$*")
  restore=$(median_of 'rm -rf dist' bash -c "$*")
  noop=$(median_of ':' bash -c "$*")
  echo "$title, median of $RUNS runs on $(nproc) cores"
  row "case" "nx" "direct" "ratio"
  row "cold (no cache, no dist)" "$cold" "$direct_time" "$(ratio "$cold" "$direct_time")"
  row "restore from local cache after rm -rf dist" "$restore" "$direct_time" "$(ratio "$restore" "$direct_time")"
  row "no-op (everything cached, dist present)" "$noop" "$direct_time" "$(ratio "$noop" "$direct_time")"
}
