#!/usr/bin/env bash
# Containers sharing the work (issue 14, goal 3): the Lambdas and a foreign arm64 worker bundle,
# installed by uv in the builder (its binary mounted, its cache shared per builder and arch)
# against the builder's own pip, on the real engine with qemu for arm64. Median of $RUNS
# (default 1: every arm64 install runs under qemu). Prints figures and ratios; asserts nothing.
#
# Requirements: the real lava tree's ($UPSTREAM, default ../shared/upstream/lava; else this
# workspace's stand-in) requirements.txt + requirements-extra.txt for the bundle, and its
# lambda/*/requirements.txt, from PyPI through bench/pypi-mirror.py on docker's bridge (the
# containers here have no route out; the mirror keeps files on disk after the first fetch, so
# the figures measure installs, not the internet). cx_Oracle and PyGreSQL are left out: they
# build from source with a compiler and libpq the fixture builders (Debian's python image, Docker
# Hub being out of reach) lack; the real builders have them.
#
# Cache states, as printed: "uv cold" = uv's cache for the builder and arch emptied before the
# run (its binary, fetched once per machine, kept); "uv warm" = left from the run before; pip
# runs with no cache in the builder (PIP_NO_CACHE_DIR, a fresh container each time), so always
# cold, and so is the plain `docker run … pip install`. Every nx run is --skip-nx-cache.
# CASES=lambdas or CASES=bundle runs one half (default both).
: "${RUNS:=1}" "${CASES:=lambdas,bundle}"
. "$(dirname "$0")/lib.sh"
UPSTREAM=${UPSTREAM:-$ROOT/../shared/upstream/lava}
eval "$("$ROOT/tools/docker-engine/engine.sh" env)"
"$ROOT/tools/docker-engine/engine.sh" base >/dev/null
make_workspace
export NX="$ROOT/node_modules/.bin/nx"
export LAVA_BUILD_CACHE="$WS.build-cache"
MIRROR_FILES="$WS.mirror"
mkdir -p "$LAVA_BUILD_CACHE" "$MIRROR_FILES"
cd "$WS"

# Fixture builders, pushed under the bench's own namespace (never a real builder's name).
python3 - nx.json <<'PY'
import json, re, sys
config = json.load(open(sys.argv[1]))
for p in config["plugins"]:
    if isinstance(p, dict) and re.search(r"plugins/builders\.(ts|js)$", p["plugin"]):
        p["options"] = {**p.get("options", {}), "buildersDir": "e2e/fixtures/builders", "repository": "bench/build/lava"}
json.dump(config, open(sys.argv[1], "w"), indent=2)
PY

# The real requirements, without the two that need a compiler the fixture builders lack.
if [[ -f $UPSTREAM/requirements.txt ]]; then
  source="the real lava tree ($UPSTREAM)"
  for f in requirements.txt requirements-extra.txt; do grep -viE '^(cx_oracle|pygresql)\b' "$UPSTREAM/$f" > "packages/lava/$f"; done
  for l in packages/lambda/*/; do cp "$UPSTREAM/lambda/$(basename "$l")/requirements.txt" "$l/requirements.txt"; done
else
  source="this workspace's stand-in (no lava tree at $UPSTREAM)"
fi

GW=$(docker network inspect bridge --format '{{(index .IPAM.Config 0).Gateway}}')
python3 "$ROOT/bench/pypi-mirror.py" "$GW" "$MIRROR_FILES" > "$WS.mirror.port" 2>>"$BENCH_LOG" &
MIRROR_PID=$!
trap 'kill $MIRROR_PID 2>/dev/null; rm -rf "$WS" "$BENCH_LOG" "$LAVA_BUILD_CACHE" "$MIRROR_FILES" "$WS.mirror.port" "$WS.plain"' EXIT
for _ in $(seq 50); do PORT=$(head -1 "$WS.mirror.port"); [[ -n $PORT ]] && break; sleep 0.1; done
export PIP_INDEX_URL="http://$GW:$PORT/simple" PIP_TRUSTED_HOST="$GW"

UV_CACHES="$LAVA_BUILD_CACHE/uv/cache"
lambdas() { "$NX" run-many -t build -p 'lambda-*' --skip-nx-cache --parallel=4 --output-style=static "$@"; }
one_lambda() { "$NX" run lambda-dispatch:build --skip-nx-cache --output-style=static "$@"; }
foreign() { "$NX" run worker-bundle:pkg--debian13-py3.13-arm64 --skip-nx-cache --output-style=static "$@"; }
# What the foreign bundle's install is, without nx: the same requirement files in one resolution,
# the same pinned builder image on linux/arm64, its pip, a fresh container (so no pip cache).
plain_pip() {
  local image; image=$(cat dist/builders/debian13-py3.13/image.digest); rm -rf "$WS.plain" && mkdir "$WS.plain"
  docker run --rm --user "$(id -u):$(id -g)" -w /lava/build -v "$PWD:/lava/build:ro" -v "$WS.plain:/lava/out" -e PIP_INDEX_URL -e PIP_TRUSTED_HOST -e HOME=/tmp \
    --platform linux/arm64 "$image" python3 -m pip install --no-compile --disable-pip-version-check --target /lava/out \
    -r packages/lava/requirements.txt -r packages/lava/requirements-extra.txt
}
export -f lambdas one_lambda foreign plain_pip
export UV_CACHES WS

has() { [[ ,$CASES, == *,$1,* ]]; }
# Untimed: the builder images, uv's binaries, every file into the mirror's disk.
warm_up() {
  if has lambdas; then lambdas && one_lambda --installer=pip || return; fi
  if has bundle; then foreign && foreign --installer=pip; fi
}
warm_up >>"$BENCH_LOG" 2>&1 || { echo "bench: the warm-up failed:" >&2; grep -B40 '✖' "$BENCH_LOG" >&2 || tail -50 "$BENCH_LOG" >&2; exit 1; }

# $RUNS interleaved pairs of (setup; $2) and (setup; $3), so both halves of a ratio see the same
# load: prints the median time of each and the median of the pairs' ratios.
paired() {
  local setup=$1 a=$2 b=$3 pairs
  pairs=$(for _ in $(seq "$RUNS"); do
    (cd "$WS" && eval "$setup") >>"$BENCH_LOG" 2>&1
    ta=$(cd "$WS" && time_it bash -c "$a")
    (cd "$WS" && eval "$setup") >>"$BENCH_LOG" 2>&1
    tb=$(cd "$WS" && time_it bash -c "$b")
    echo "$ta $tb $(ratio "$ta" "$tb")"
  done)
  echo "$(cut -d' ' -f1 <<<"$pairs" | median) $(cut -d' ' -f2 <<<"$pairs" | median) $(cut -d' ' -f3 <<<"$pairs" | median)"
}

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
if has lambdas; then
  read -r four_cold one_cold cold_ratio < <(paired 'rm -rf "$UV_CACHES"' lambdas one_lambda)
  read -r four_warm one_warm warm_ratio < <(paired ':' lambdas one_lambda)
  read -r four_pip one_pip pip_ratio < <(paired ':' 'lambdas --installer=pip' 'one_lambda --installer=pip')
fi
if has bundle; then
  packages=$(tar -tjf dist/pkg/debian13/lava-*-debian13-py3.13-aarch64.tar.bz2 | grep -cE '^pylib/[^/]+\.dist-info/$')
  plain=$(median_of ':' bash -c plain_pip)
  foreign_cold=$(median_of 'rm -rf "$UV_CACHES"' bash -c foreign)
  foreign_warm=$(median_of ':' bash -c foreign)
  foreign_pip=$(median_of ':' bash -c 'foreign --installer=pip')
fi

echo "containers: real engine ($(docker version -f '{{.Server.Version}}')), qemu arm64, median of $RUNS on $(nproc) cores (Lambda ratios: median of $RUNS interleaved pairs)"
echo "requirements from $source via a PyPI mirror on the bridge${packages:+; bundle: $packages distributions}"
row "case" "time" "against" "ratio"
if has lambdas; then
  row "4 Lambdas vs 1, uv cold (goal <= 1.5)" "$four_cold" "$one_cold" "$cold_ratio"
  row "4 Lambdas vs 1, uv warm" "$four_warm" "$one_warm" "$warm_ratio"
  row "4 Lambdas vs 1, --installer=pip (no cache)" "$four_pip" "$one_pip" "$pip_ratio"
fi
if has bundle; then
  row "arm64 bundle, uv cold vs plain pip (<= 0.6)" "$foreign_cold" "$plain" "$(ratio "$foreign_cold" "$plain")"
  row "arm64 bundle, uv warm vs plain pip (<= 0.6)" "$foreign_warm" "$plain" "$(ratio "$foreign_warm" "$plain")"
  row "arm64 bundle, --installer=pip vs plain pip" "$foreign_pip" "$plain" "$(ratio "$foreign_pip" "$plain")"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
