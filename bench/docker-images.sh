#!/usr/bin/env bash
# One lava image OS (base + full, linux/amd64 + linux/arm64) through nx on the real engine:
# cold (every layer rebuilt: --noCache, Nx cache skipped), BuildKit-warm with the Nx cache
# skipped, and cached (nx restores the digest records). Docker Hub is unreachable here, so
# it builds the FAKE OS e2e/fixtures/docker/os/fakedebian13 (real Dockerfile and common
# scripts) with FAKE Instant Client zips. RUNS=1 for a quick look (the default 5 takes ~6 min).
. "$(dirname "$0")/lib.sh"
OS=${OS:-fakedebian13}
make_workspace
eval "$(bash "$ROOT/tools/docker-engine/engine.sh" env)"
docker info >/dev/null 2>&1 || { echo "bench: no docker engine; run: sudo tools/docker-engine/engine.sh up" >&2; exit 1; }
sed -i 's|"dockerRoot": "packages/docker"|"dockerRoot": "e2e/fixtures/docker"|' "$WS/nx.json"
# FAKE Instant Client zips, laid out as oracle:sync leaves them (versioned file + link).
python3 - "$WS/external-packages/oracle" <<'PY'
import os, sys, zipfile
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
for t in ('basiclite', 'sqlplus'):
    for a in ('x64', 'arm64'):
        name = f'instantclient-{t}-linux-{a}-23.8.zip'
        with zipfile.ZipFile(os.path.join(d, name), 'w') as z:
            z.writestr('instantclient_23_8/FAKE_INSTANT_CLIENT.txt', 'FAKE Oracle Instant Client for the lava bench\n')
            if t == 'sqlplus':
                i = zipfile.ZipInfo('instantclient_23_8/sqlplus'); i.external_attr = 0o100755 << 16
                z.writestr(i, '#!/bin/sh\necho "SQL*Plus: Release 23.8.0.0.0 - Production (FAKE)"\n')
        os.symlink(name, os.path.join(d, f'instantclient-{t}-linux-{a}.zip'))
PY
NX="$ROOT/node_modules/.bin/nx"
export NX OS
cold_build() { "$NX" run "docker-$OS:build-base" --noCache --skip-nx-cache && "$NX" run "docker-$OS:build-full" --noCache --skip-nx-cache; }
warm_build() { "$NX" run "docker-$OS:build" --skip-nx-cache; }
cached_build() { "$NX" run "docker-$OS:build"; }
export -f cold_build warm_build cached_build

cold=$(median_of ':' bash -c cold_build)
warm=$(median_of ':' bash -c warm_build)
cached=$(RUNS=3 median_of ':' bash -c cached_build)
grep -q "docker-$OS:build-full.*\[local cache\]\|existing outputs match the cache" "$BENCH_LOG" || { echo "bench: the cached build was not a cache hit (log: $BENCH_LOG)" >&2; trap - EXIT; exit 1; }

echo "docker-$OS: base + full, linux/amd64 + linux/arm64 (arm64 under qemu), median of $RUNS run(s) on $(nproc) cores"
printf '%-58s %9s s\n' "cold: every layer rebuilt (--noCache --skip-nx-cache)" "$cold"
printf '%-58s %9s s\n' "BuildKit cache warm, Nx cache skipped (--skip-nx-cache)" "$warm"
printf '%-58s %9s s\n' "cached: nx run docker-$OS:build (median of 3)" "$cached"
printf '%-58s %9s\n' "cold / cached" "$(ratio "$cold" "$cached")"
