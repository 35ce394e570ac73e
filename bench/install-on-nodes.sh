#!/usr/bin/env bash
# The foreign arm64 worker bundle (worker-bundle:pkg--debian13-py3.13-arm64, the workspace's own
# requirements: Jinja2, MarkupSafe, PyYAML, packaging, tabulate) installed three ways, nx cold
# each time (--skip-nx-cache; the builder image built once beforehand and reused):
#   qemu docker run     LAVA_INSTALL_RUNNER=docker: pip in `docker run --platform linux/arm64` here, under qemu
#   builder arm64 node  BUILDX_BUILDER=lava-nodes: pip in a BuildKit build on the builder's arm64 node
#   native amd64        the amd64 bundle by docker run, no emulation: what a native node's pip costs
# On this machine the "native" arm64 node of `engine.sh nodes` is itself qemu: the second row
# measures what the BuildKit path adds or saves around the same emulated pip, not what a real
# arm64 machine would give; the third row is the stand-in for that. Needs root (the nodes), the
# engine and its base image; the arm64 and amd64 wheels come from PyPI once into the cache and are
# served on docker's bridge. Runs interleaved, median of $RUNS (default 3). Prints figures and
# ratios, and whether the two arm64 bundles are byte-identical; asserts nothing.
: "${RUNS:=3}"
. "$(dirname "$0")/lib.sh"
ENGINE="$ROOT/tools/docker-engine/engine.sh"
eval "$("$ENGINE" env)"
"$ENGINE" base >/dev/null
why=$("$ENGINE" nodes check 2>&1 >/dev/null) || { echo "bench: ${why#✖ engine: }" >&2; exit 1; }
CACHE=${LAVA_BUILD_CACHE:-$([[ $(id -u) -eq 0 ]] && echo /var/cache/lava-build || echo "${XDG_CACHE_HOME:-$HOME/.cache}/lava-build")}
STARTED_NODES=
if ! "$ENGINE" nodes status >/dev/null 2>&1; then
  STARTED_NODES=1
  "$ENGINE" nodes up >/dev/null 2>&1 || { echo "bench: $ENGINE nodes up failed" >&2; "$ENGINE" nodes down >/dev/null 2>&1; exit 1; }
fi
make_workspace
cd "$WS"
NX="$ROOT/node_modules/.bin/nx"
INDEX_PID=
cleanup() {
  [[ -n $INDEX_PID ]] && kill "$INDEX_PID" 2>/dev/null
  [[ -n $STARTED_NODES ]] && "$ENGINE" nodes down >/dev/null 2>&1
  rm -rf "$WS" "$BENCH_LOG"
}
trap cleanup EXIT

# The fixture builders (Docker Hub is unreachable here), pushed under the bench's own namespace.
python3 - nx.json <<'PY'
import json, re, sys
path = sys.argv[1]
config = json.loads(re.sub(r'"buildersDir": "[^"]*"', '"buildersDir": "e2e/fixtures/builders"', open(path).read()))
for p in config["plugins"]:
    if isinstance(p, dict) and re.search(r"plugins/builders\.(ts|js)$", p["plugin"]):
        p["options"] = {**p.get("options", {}), "repository": "bench/nodes/build/lava"}
open(path, "w").write(json.dumps(config, indent=2) + "\n")
PY

# The wheels of the bundle's requirements for both platforms, fetched once, as a PEP 503 index.
WHEELS="$CACHE/bench/install-on-nodes-wheels"
for arch in aarch64 x86_64; do
  [[ -d $WHEELS/$arch ]] && continue
  "$ROOT/.venv/bin/python" -m pip download -q --only-binary=:all: --platform "manylinux_2_17_$arch" --python-version 3.13 \
    --implementation cp --abi cp313 -d "$WHEELS/.tmp-$arch" -r packages/lava/requirements.txt -r packages/lava/requirements-extra.txt
  mv "$WHEELS/.tmp-$arch" "$WHEELS/$arch"
done
python3 - "$WHEELS" .index/simple <<'PY'
import os, re, shutil, sys
wheels, simple = sys.argv[1:]
for arch in os.listdir(wheels):
    for wheel in os.listdir(os.path.join(wheels, arch)):
        name = re.sub(r"[-_.]+", "-", wheel.split("-")[0]).lower()
        os.makedirs(os.path.join(simple, name), exist_ok=True)
        shutil.copy(os.path.join(wheels, arch, wheel), os.path.join(simple, name, wheel))
for name in os.listdir(simple):
    files = sorted(os.listdir(os.path.join(simple, name)))
    with open(os.path.join(simple, name, "index.html"), "w") as f:
        f.write("".join(f'<a href="{w}">{w}</a>\n' for w in files if w.endswith(".whl")))
PY
GW=$(docker network inspect bridge --format '{{(index .IPAM.Config 0).Gateway}}')
python3 -m http.server 0 --bind "$GW" --directory .index >.index.log 2>&1 &
INDEX_PID=$!
for _ in $(seq 50); do PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' .index.log | head -1); [[ -n $PORT ]] && break; sleep 0.1; done
export PIP_INDEX_URL="http://$GW:$PORT/simple" PIP_TRUSTED_HOST="$GW"
unset BUILDX_BUILDER LAVA_INSTALL_RUNNER

"$NX" run builder-debian13-py3.13:build --output-style=static >>"$BENCH_LOG" 2>&1 || { echo "bench: the fixture builder did not build (log: $BENCH_LOG)" >&2; exit 1; }
bundle() { "$NX" run "worker-bundle:pkg--debian13-py3.13-$1" --skip-nx-cache --excludeTaskDependencies --output-style=static; }
export NX; export -f bundle
IMAGE=$(cat dist/builders/debian13-py3.13/image.digest)
qemu=() nodes=() native=() probe=()
for _ in $(seq "$RUNS"); do
  probe+=("$(time_it docker run --rm --platform linux/arm64 "$IMAGE" python3 -c 'import platform; platform.machine()')")
  qemu+=("$(time_it env LAVA_INSTALL_RUNNER=docker bash -c 'bundle arm64')")
  cp dist/pkg/debian13/*-aarch64.tar.bz2 .via-docker.tar.bz2
  nodes+=("$(time_it env BUILDX_BUILDER=lava-nodes bash -c 'bundle arm64')")
  native+=("$(time_it bash -c 'bundle amd64')")
done
grep -q 'installed on the BuildKit builder lava-nodes (node lava-nodes-arm64)' "$BENCH_LOG" || { echo "bench: the builder run did not use the arm64 node (log: $BENCH_LOG)" >&2; exit 1; }
q=$(printf '%s\n' "${qemu[@]}" | median) n=$(printf '%s\n' "${nodes[@]}" | median) a=$(printf '%s\n' "${native[@]}" | median) p=$(printf '%s\n' "${probe[@]}" | median)
same=$(cmp -s .via-docker.tar.bz2 dist/pkg/debian13/*-aarch64.tar.bz2 && echo "byte-identical" || echo "DIFFERENT")

line() { printf '%-46s %9s %9s\n' "$@"; }
echo "foreign arm64 bundle: qemu docker run vs the lava-nodes builder (nx cold each), median of $RUNS on $(nproc) cores, load$(uptime | sed 's/.*load average//')"
line "case" "seconds" "vs qemu"
line "qemu docker run (arm64, here)" "$q" "1.00"
line "builder's arm64 node (qemu here too)" "$n" "$(ratio "$n" "$q")"
line "native amd64 docker run (a native node's pip)" "$a" "$(ratio "$a" "$q")"
line "  python3 started under qemu by docker run" "$p" "$(ratio "$p" "$q")"
echo "(docker run asks the image what it is under qemu and probes the index, then runs pip under qemu; the builder"
echo " path asks natively here and runs only pip on the node. On a real arm64 node, pip costs about the amd64 row.)"
echo "arm64 bundles from docker run and from the builder: $same"
echo "each run (s): qemu ${qemu[*]} | builder ${nodes[*]} | amd64 ${native[*]} | python3 under qemu ${probe[*]}"
