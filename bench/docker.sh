#!/usr/bin/env bash
# Builder images on the real engine (tools/docker-engine/engine.sh up + base), with the fixture
# builders (Docker Hub is unreachable here). Median of $RUNS (default 1). Prints figures and
# ratios; asserts nothing. What runs in the builders (foreign bundles, Lambdas) is
# bench/containers.sh, on real requirements.
#   cold builder        nx cache empty and a fresh RUN in the Dockerfile, vs plain docker buildx build --push
#   cached builder      the same nx command again (no-op), vs plain buildx with every layer cached
: "${RUNS:=1}"
. "$(dirname "$0")/lib.sh"
eval "$("$ROOT/tools/docker-engine/engine.sh" env)"
"$ROOT/tools/docker-engine/engine.sh" base >/dev/null
make_workspace
NX="$ROOT/node_modules/.bin/nx"
export NX
cd "$WS"
sed -i 's|"buildersDir": "[^"]*"|"buildersDir": "e2e/fixtures/builders"|g' nx.json

F=e2e/fixtures/builders/debian13-py3.13.Dockerfile
fresh_run() { echo "RUN echo $(date +%s%N) > /etc/bench-nonce" >> "$F"; }
nx_builder() { "$NX" run builder-debian13-py3.13:build --output-style=static; }
plain_builder() { docker buildx build --push --pull --provenance=false --platform=linux/amd64,linux/arm64 -f "$F" -t localhost:5001/build/lava/debian13-py3.13:latest e2e/fixtures/builders; }
export -f fresh_run nx_builder plain_builder; export F

cold=$(median_of 'rm -rf .nx/cache dist/builders; fresh_run' bash -c nx_builder)
plain=$(median_of 'fresh_run' bash -c plain_builder)
noop=$(median_of 'nx_builder' bash -c nx_builder)
plain_noop=$(median_of ':' bash -c plain_builder)

echo "builders: real engine ($(docker version -f '{{.Server.Version}}')), qemu arm64, median of $RUNS on $(nproc) cores"
row "case" "nx" "direct" "ratio"
row "cold builder (fresh RUN, amd64+arm64, push)" "$cold" "$plain" "$(ratio "$cold" "$plain")"
row "cached builder (no-op) vs buildx, all cached" "$noop" "$plain_noop" "$(ratio "$noop" "$plain_noop")"
