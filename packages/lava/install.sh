#!/usr/bin/env bash
# Installs a lava worker bundle: unpacks it into PREFIX and links its scripts
# into BINDIR (Python scripts through lava-run, which puts pylib/ on the path).
#
#   install.sh [-c] [-p PREFIX] [-b BINDIR] lava-<version>-<runtime>-<arch>.tar.bz2
#   -c  only check that PREFIX holds a complete bundle
set -euo pipefail

prefix=/opt/lava
bindir=/usr/local/bin
check_only=no
usage() { echo "usage: $0 [-c] [-p PREFIX] [-b BINDIR] BUNDLE.tar.bz2" >&2; exit 2; }
while getopts "cp:b:h" opt; do
    case $opt in
        c) check_only=yes ;;
        p) prefix=$OPTARG ;;
        b) bindir=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))

check() {
    local missing=()
    for part in lava pylib install.sh lava/version.py lava-run; do
        [[ -e "$prefix/$part" ]] || missing+=("$part")
    done
    if ((${#missing[@]})); then
        echo "✖ $prefix is not a complete lava bundle: missing ${missing[*]}" >&2
        exit 1
    fi
}

if [[ $check_only == yes ]]; then
    check
    echo "$prefix holds lava $(python3 "$prefix/lava/version.py" --all)"
    exit 0
fi

[[ $# -eq 1 ]] || usage
bundle=$(readlink -f "$1")
[[ -f $bundle ]] || { echo "✖ no bundle at $1" >&2; exit 1; }
mkdir -p "$prefix" "$bindir"
tar -xjf "$bundle" -C "$prefix"
check

for script in "$prefix"/bin/*; do
    [[ -f $script && -x $script ]] || continue
    name=$(basename "$script")
    if head -n 1 "$script" | grep -q '^#!.*python'; then
        ln -sfn "$prefix/lava-run" "$bindir/$name"
    else
        ln -sfn "$script" "$bindir/$name"
    fi
done
echo "Installed lava $(python3 "$prefix/lava/version.py" --all) in $prefix; scripts linked in $bindir"
