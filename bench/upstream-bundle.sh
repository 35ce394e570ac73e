#!/usr/bin/env bash
# The real lava tree's host worker bundle: `nx run worker-bundle:pkg` in a workspace copy that
# adopted ../shared/upstream/lava (cold: no nx cache, no dist; pip's caches warm) against the
# real `etc/pkg.sh -f … -m` run in a copy of the tree, median of $RUNS (default 3). Also the
# variant target worker-bundle:pkg runs through a nested nx, worker-bundle:pkg--host, alone.
# make's pkg.sh runs the host python3's own pip; with the latest setuptools its cx_Oracle build
# fails and, pkg.sh ignoring pip's exit code, its tarball lacks requirements.txt's packages. Its
# untimed warm-up run therefore gets PIP_CONSTRAINT=<the build constraints>, which leaves a
# cx_Oracle wheel in pip's cache; the timed runs are pkg.sh as it is, reusing that wheel (as on a
# machine where it was built once). Also prints each tarball's boto3 dist-infos: make's two
# installs leave two.
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
UPSTREAM=${UPSTREAM:-$ROOT/../shared/upstream/lava}
[[ -f $UPSTREAM/lava/VERSION.json ]] || { echo "bench: no lava tree at $UPSTREAM; set UPSTREAM=<lava checkout>" >&2; exit 1; }
make_workspace
(cd "$WS" && git init -q -b main && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m base \
  && "$ROOT/node_modules/.bin/nx" g ./tools/executors:adopt-lava --source="$UPSTREAM" >>"$BENCH_LOG" 2>&1 \
  && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m "Adopt lava")
MK=$(mktemp -d /tmp/lava-bench-make-XXXXXX)
cp -r "$UPSTREAM" "$MK/lava" && chmod -R u+w "$MK/lava"
trap 'rm -rf "$WS" "$BENCH_LOG" "$MK"' EXIT
export NX="$ROOT/node_modules/.bin/nx" MK CONSTRAINTS="$ROOT/tools/python/build-constraints.txt"

pkg() { "$NX" run worker-bundle:pkg --output-style=static; }
pkg_host() { "$NX" run worker-bundle:pkg--host --output-style=static; }
make_pkg() { (cd "$MK/lava" && bash etc/pkg.sh -f "$MK/lava.tar.bz2" -m); }
make_pkg_constrained() { (cd "$MK/lava" && PIP_CONSTRAINT="$CONSTRAINTS" bash etc/pkg.sh -f "$MK/lava.tar.bz2" -m); }
export -f pkg pkg_host make_pkg make_pkg_constrained

# One untimed run of each fills pip's caches (downloads, wheels built from sdists).
(cd "$WS" && pkg) >>"$BENCH_LOG" 2>&1
make_pkg_constrained >>"$BENCH_LOG" 2>&1

nx_cold=$(median_of 'rm -rf dist .nx/cache' bash -c pkg)
nx_host=$(median_of 'rm -rf dist .nx/cache' bash -c pkg_host)
bundle=$(cd "$WS" && ls dist/pkg/*/lava-*.tar.bz2)
nx_boto=$(tar -tjf "$WS/$bundle" | grep -E '^pylib/boto3-[^/]*\.dist-info/$' | tr '\n' ' ')
make_time=$(median_of ':' bash -c make_pkg)
make_boto=$(tar -tjf "$MK/lava.tar.bz2" | grep -E '^pylib/boto3-[^/]*\.dist-info/$' | tr '\n' ' ' || true)

# Where the time goes, from one more run of each: the nx task's lines as they appear (stream
# output, each stamped on arrival) and make's pkg.sh traced by set -x with the time of each command.
stamp() { local start=$1; while IFS= read -r line; do printf '%s %s\n' "$(( ($(date +%s%N) - start) / 1000000 ))" "$line"; done; }
nx_trace=$(cd "$WS" && rm -rf dist .nx/cache && start=$(date +%s%N) && { "$NX" run worker-bundle:pkg --output-style=stream 2>&1; echo END; } | stamp "$start")
at() { awk -v re="$1" '$0 ~ re { printf "%.3f", $1 / 1000; exit }' <<<"$nx_trace"; }
nx_work=$(at 'Worker bundle ') nx_uv=$(at 'Installed [0-9]+ packages') nx_packed=$(at '\\([0-9]+ entries\\)') nx_end=$(at '^[0-9]+ END$')
# (bash takes no PS4 from the environment when run as root: it is set inside.)
make_trace=$(cd "$MK/lava" && bash -c 'PS4="+\${EPOCHREALTIME} "; set -x; . etc/pkg.sh "$@"' etc/pkg.sh -f "$MK/lava.tar.bz2" -m 2>&1 >/dev/null | grep -E '^\++[0-9.]+ ')
make_at() { awk -v re="$1" '{ sub(/^\++/, "") } $0 ~ re { print $1; exit }' <<<"$make_trace"; }
make_start=$(awk '{ sub(/^\++/, ""); print $1; exit }' <<<"$make_trace") make_pip=$(make_at ' python3 -m pip install') make_tar=$(make_at ' tar -cjf') make_mv=$(make_at ' mv ')
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "real lava $(basename "$bundle"), median of $RUNS runs on $(nproc) cores, pip caches warm"
row "case" "time" "make" "ratio"
row "make: etc/pkg.sh -f ... -m" "$make_time" "$make_time" "1.00"
row "nx run worker-bundle:pkg, cold (uv)" "$nx_cold" "$make_time" "$(ratio "$nx_cold" "$make_time")"
row "the cached target it runs, no nested nx" "$nx_host" "$make_time" "$(ratio "$nx_host" "$make_time")"
echo "speed-up (make / nx): $(ratio "$make_time" "$nx_cold")x (goal: at least 4x); pkg--host alone: $(ratio "$make_time" "$nx_host")x"
echo "where one more run of each spent its time:"
row "  nx: nx, the nested nx, python and pip probes" "$nx_work" "" ""
row "  nx: uv pip install --target (caches warm)" "$(since "$nx_work" "$nx_uv")" "" ""
row "  nx: clean pylib/, walk, tar, lbzip2, cleanup" "$(since "$nx_uv" "$nx_packed")" "" ""
row "  nx: nx caches the output, exits" "$(since "$nx_packed" "$nx_end")" "" ""
row "  make: copies (find | cpio)" "$(since "$make_start" "$make_pip")" "" ""
row "  make: two pip install --target (caches warm)" "$(since "$make_pip" "$make_tar")" "" ""
row "  make: tar -cjf (one bzip2 -9)" "$(since "$make_tar" "$make_mv")" "" ""
echo "boto3 dist-infos: nx: ${nx_boto:-none}; make: ${make_boto:-none}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
