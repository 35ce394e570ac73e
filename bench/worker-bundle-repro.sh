#!/usr/bin/env bash
# Reproducibility figure for the closing note: the host worker bundle built cold
# (no nx cache, no dist) in two workspace copies at different paths, from the
# real pinned requirements and whatever index pip is configured with; prints
# both sha256 sums and whether they match (exit 1 if not).
. "$(dirname "$0")/lib.sh"
NX="$ROOT/node_modules/.bin/nx"
sums=()
for clone in first second-at-another-path; do
  make_workspace
  mv "$WS" "$WS-$clone" && WS="$WS-$clone"
  trap 'rm -rf "$WS" "$BENCH_LOG"' EXIT
  (cd "$WS" && "$NX" run worker-bundle:pkg --output-style=static >>"$BENCH_LOG" 2>&1) || { echo "bench: pkg failed in $WS (log: $BENCH_LOG)" >&2; exit 1; }
  bundle=$(cd "$WS" && ls dist/pkg/*/lava-*.tar.bz2)
  sum=$(sha256sum "$WS/$bundle" | cut -d' ' -f1)
  echo "$sum  $WS/$bundle ($(stat -c %s "$WS/$bundle") bytes)"
  sums+=("$sum")
  rm -rf "$WS" "$BENCH_LOG"
done
if [[ ${sums[0]} == "${sums[1]}" ]]; then echo "identical"; else echo "DIFFERENT"; exit 1; fi
