#!/usr/bin/env bash
# The host worker bundle (worker-bundle:pkg) against plain `pip install --target`
# of the same requirement files, median of $RUNS (default 3): cold (no nx cache,
# no dist; also with no project graph), restored from the cache after rm -rf
# dist, and the cached re-run.
# Also uv's `uv pip install --target`, plain, and pkg with each installer (uv is the default),
# and whether uv's bundle tree equals pip's. Index: whatever pip is configured with
# (PIP_INDEX_URL or pip.conf); both installers' download caches are warm after
# the first run, so the figures compare install work, not the network.
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
make_workspace
NX="$ROOT/node_modules/.bin/nx"
UV="$ROOT/.venv/bin/uv"
[[ -x $UV ]] || { echo "bench: no uv in the Python environment; run: npx nx run python-env:init" >&2; exit 1; }
REQS=(packages/lava/requirements.txt packages/lava/requirements-extra.txt)
export NX UV

# Both files in one resolution, as the build installs them.
plain_pip() {
  rm -rf /tmp/lava-bench-pylib
  python3 -m pip install -q --disable-pip-version-check --no-input --ignore-installed --upgrade --target /tmp/lava-bench-pylib \
    -r packages/lava/requirements.txt -r packages/lava/requirements-extra.txt
}
plain_uv() {
  rm -rf /tmp/lava-bench-pylib
  "$UV" pip install -q --python python3 --target /tmp/lava-bench-pylib -r packages/lava/requirements.txt -r packages/lava/requirements-extra.txt
}
pkg() { "$NX" run worker-bundle:pkg --output-style=static "$@"; }
export -f plain_pip plain_uv pkg

pip_time=$(median_of ':' bash -c plain_pip)
uv_time=$(median_of ':' bash -c plain_uv)
cold_graph=$(median_of 'rm -rf dist .nx/cache .nx/workspace-data' bash -c pkg)
cold=$(median_of 'rm -rf dist .nx/cache' bash -c 'pkg --installer=pip')
cold_uv=$(median_of 'rm -rf dist .nx/cache' bash -c pkg)
restore=$(median_of 'rm -rf dist' bash -c pkg)
cached=$(median_of ':' bash -c pkg)

# Is uv's pylib/ the bundle's pylib/? Compare the two bundles' trees.
bundle=$(cd "$WS" && ls dist/pkg/*/lava-*.tar.bz2)
cmp_dir=$(mktemp -d)
(cd "$WS" && rm -rf dist .nx/cache && pkg --installer=pip >>"$BENCH_LOG" 2>&1 && mkdir -p "$cmp_dir/pip" && tar -xjf "$bundle" -C "$cmp_dir/pip")
(cd "$WS" && rm -rf dist .nx/cache && pkg >>"$BENCH_LOG" 2>&1 && mkdir -p "$cmp_dir/uv" && tar -xjf "$bundle" -C "$cmp_dir/uv")
differences=$(diff -rq "$cmp_dir/pip" "$cmp_dir/uv" | sed "s#$cmp_dir/##g" || true)
rm -rf "$cmp_dir" /tmp/lava-bench-pylib

echo "worker-bundle:pkg (host $(basename "$bundle")), ${REQS[*]}, median of $RUNS runs on $(nproc) cores"
row "case" "time" "plain pip" "ratio"
row "plain pip install --target (both files)" "$pip_time" "$pip_time" "1.00"
row "plain uv pip install --target (both files)" "$uv_time" "$pip_time" "$(ratio "$uv_time" "$pip_time")"
row "nx pkg cold (uv), also no project graph" "$cold_graph" "$pip_time" "$(ratio "$cold_graph" "$pip_time")"
row "nx pkg cold, --installer=pip" "$cold" "$pip_time" "$(ratio "$cold" "$pip_time")"
row "nx pkg cold, uv (the default)" "$cold_uv" "$pip_time" "$(ratio "$cold_uv" "$pip_time")"
row "nx pkg restored from cache after rm -rf dist" "$restore" "$pip_time" "$(ratio "$restore" "$pip_time")"
row "nx pkg cached re-run (dist present)" "$cached" "$pip_time" "$(ratio "$cached" "$pip_time")"
if [[ -z $differences ]]; then
  echo "uv's bundle tree equals pip's"
else
  echo "uv's bundle tree differs from pip's:"
  echo "$differences" | sed 's/^/  /'
fi
