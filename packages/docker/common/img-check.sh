#!/bin/bash
# Checks a built lava image (make's `check`): img-check.sh [-p <platform>] <registry>/lava/<os>/<base|full>
# Runs the image (already in the engine: --pull never) and checks what a job needs, one
# line per check; a full image is checked for everything a base image is, and its clients.
# Exit status: the number of failed checks (0: all passed).
set -uo pipefail

platform=
while getopts p: opt; do
    case $opt in
        p) platform=$OPTARG ;;
        *) echo "usage: $0 [-p platform] image" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-p platform] image" >&2; exit 2; }
image=$1

case $image in
    */lava/*/base) type=base ;;
    */lava/*/full) type=full ;;
    *) echo "$image: not a lava image (<registry>/lava/<os>/<base|full>)" >&2; exit 2 ;;
esac

# The command's own output (its stderr too); docker's own messages only when docker itself failed.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
inside() {
    local out rc
    out=$(docker run --rm --pull never ${platform:+--platform "$platform"} "$image" sh -c "$1 2>&1" </dev/null 2>"$errors"); rc=$?
    [ $rc -ne 0 ] && [ -z "$out" ] && out=$(grep -v '^WARNING:' "$errors")
    printf '%s\n' "$out"
    return $rc
}

failed=0
# check <name> <command run in the image> [<text the first line must contain>]
check() {
    local out rc first
    out=$(inside "$2"); rc=$?
    first=$(printf '%s\n' "$out" | tr -d '\r' | sed -e '/^ *$/d' | head -n 1)
    if [ $rc -ne 0 ]; then
        echo "✖ $1: exit $rc: $first"; failed=$((failed + 1))
    elif [ -n "${3:-}" ] && [[ $first != *"$3"* ]]; then
        echo "✖ $1: expected \"$3\", got \"$first\""; failed=$((failed + 1))
    else
        echo "✔ $1: $first"
    fi
}

case $platform in
    linux/amd64) arch=x86_64 ;;
    linux/arm64) arch=aarch64 ;;
    *) arch= ;;
esac
# shellcheck disable=SC2016  # $LAVA_VERSION is expanded inside the image, not here
version=$(inside 'printf %s "$LAVA_VERSION"')

check arch 'uname -m' "$arch"
check lava 'lava-worker --version' "lava $version"
check python 'python3 --version' 'Python 3.'
check openssl 'openssl version' 'OpenSSL 3'
check isql 'isql --version'
check tsql 'tsql -C'
check aws 'aws --version'
check make 'make --version'
if [ $type = full ]; then
    check psql 'psql --version'
    check mysql 'mysql --version'
    check sqlplus 'sqlplus -V'
fi

if [ $failed -eq 0 ]; then
    echo "$image ($platform): all checks passed"
else
    echo "$image ($platform): $failed check(s) failed"
fi
exit $failed
