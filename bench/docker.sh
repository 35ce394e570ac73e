#!/usr/bin/env bash
# Builder images, foreign bundles and Lambda zips on the real engine
# (tools/docker-engine/engine.sh up + base), with the fixture builders (Docker Hub is
# unreachable here) and a local PEP 503 index on docker's bridge. Median of $RUNS (default 1:
# every arm64 pip runs under qemu). Prints figures and ratios; asserts nothing.
#   cold builder        nx cache empty and a fresh RUN in the Dockerfile, vs plain docker buildx build --push
#   cached builder      the same nx command again (no-op), vs plain buildx with every layer cached
#   foreign arm64       nx run worker-bundle:pkg--debian13-py3.13-arm64 (cold) vs the docker run … pip install it wraps
#   four lambdas        nx run-many -t build -p 'lambda-*' --parallel=4 vs --parallel=1 (cold)
: "${RUNS:=1}"
. "$(dirname "$0")/lib.sh"
eval "$("$ROOT/tools/docker-engine/engine.sh" env)"
"$ROOT/tools/docker-engine/engine.sh" base >/dev/null
make_workspace
NX="$ROOT/node_modules/.bin/nx"
export NX
cd "$WS"
sed -i 's|"buildersDir": "[^"]*"|"buildersDir": "e2e/fixtures/builders"|g' nx.json

# A local index with one pure wheel, reachable from containers on the bridge gateway.
GW=$(docker network inspect bridge --format '{{(index .IPAM.Config 0).Gateway}}')
mkdir -p .index/simple/benchpure
python3 - .index/simple/benchpure <<'PY'
import base64, hashlib, sys, zipfile
n, v = "benchpure", "1.0"
f = {f"{n}/__init__.py": "VALUE = 1\n", f"{n}-{v}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {n}\nVersion: {v}\n",
     f"{n}-{v}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
rec = [f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode()},{len(c.encode())}" for p, c in f.items()]
f[f"{n}-{v}.dist-info/RECORD"] = "\n".join(rec + [f"{n}-{v}.dist-info/RECORD,,"]) + "\n"
with zipfile.ZipFile(f"{sys.argv[1]}/{n}-{v}-py3-none-any.whl", "w") as z:
    for p, c in f.items(): z.writestr(p, c)
PY
echo '<a href="benchpure-1.0-py3-none-any.whl">benchpure-1.0-py3-none-any.whl</a>' > .index/simple/benchpure/index.html
python3 -m http.server 0 --bind "$GW" --directory .index > .index.log 2>&1 &
INDEX_PID=$!
trap 'kill $INDEX_PID 2>/dev/null; rm -rf "$WS" "$BENCH_LOG"' EXIT
for _ in $(seq 50); do PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' .index.log | head -1); [[ -n $PORT ]] && break; sleep 0.1; done
export PIP_INDEX_URL="http://$GW:$PORT/simple" PIP_TRUSTED_HOST="$GW"
echo benchpure==1.0 > packages/lava/requirements.txt; echo benchpure==1.0 > packages/lava/requirements-extra.txt
for l in packages/lambda/*/; do echo benchpure==1.0 > "$l/requirements.txt"; done

F=e2e/fixtures/builders/debian13-py3.13.Dockerfile
fresh_run() { echo "RUN echo $(date +%s%N) > /etc/bench-nonce" >> "$F"; }
export -f fresh_run; export F
nx_builder() { "$NX" run builder-debian13-py3.13:build --output-style=static; }
plain_builder() { docker buildx build --push --pull --provenance=false --platform=linux/amd64,linux/arm64 -f "$F" -t localhost:5001/build/lava/debian13-py3.13:latest e2e/fixtures/builders; }
nx_foreign() { "$NX" run worker-bundle:pkg--debian13-py3.13-arm64 --skip-nx-cache --output-style=static; }
plain_foreign() {
  local image; image=$(cat dist/builders/debian13-py3.13/image.digest); rm -rf .plain && mkdir .plain
  for r in requirements.txt requirements-extra.txt; do
    docker run --rm --user "$(id -u):$(id -g)" -w /lava/build -v "$PWD:/lava/build" -e PIP_INDEX_URL -e PIP_TRUSTED_HOST -e HOME=/tmp \
      --platform linux/arm64 "$image" python3 -m pip install --no-compile --target .plain/pylib -r "packages/lava/$r"
  done
}
lambdas() { "$NX" run-many -t build -p 'lambda-*' --skip-nx-cache --parallel="$1" --output-style=static; }
export -f nx_builder plain_builder nx_foreign plain_foreign lambdas

cold=$(median_of 'rm -rf .nx/cache dist/builders; fresh_run' bash -c nx_builder)
plain=$(median_of 'fresh_run' bash -c plain_builder)
noop=$(median_of 'nx_builder' bash -c nx_builder)
plain_noop=$(median_of ':' bash -c plain_builder)
foreign=$(median_of 'nx_builder' bash -c nx_foreign)
foreign_plain=$(median_of ':' bash -c plain_foreign)
par=$(median_of ':' bash -c 'lambdas 4')
seq1=$(median_of ':' bash -c 'lambdas 1')

echo "docker: real engine ($(docker version -f '{{.Server.Version}}')), qemu arm64, median of $RUNS on $(nproc) cores"
row "case" "nx" "direct" "ratio"
row "cold builder (fresh RUN, amd64+arm64, push)" "$cold" "$plain" "$(ratio "$cold" "$plain")"
row "cached builder (no-op) vs buildx, all cached" "$noop" "$plain_noop" "$(ratio "$noop" "$plain_noop")"
row "cold foreign arm64 bundle vs docker run pip" "$foreign" "$foreign_plain" "$(ratio "$foreign" "$foreign_plain")"
row "four lambdas --parallel=4 vs --parallel=1" "$par" "$seq1" "$(ratio "$par" "$seq1")"
