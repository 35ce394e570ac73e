#!/bin/bash
# Runs on the build instance: every conf.d script of the OS, in order, as root.
set -euo pipefail
# OS comes from packer (the template's environment_vars).
: "${OS:?OS is not set}"
. /etc/os-release
if [ "${ID}${VERSION_ID}" != "$OS" ]; then
    echo "OS mismatch: the build is for $OS, the instance is ${ID}${VERSION_ID}" >&2
    exit 1
fi
cd ~/packer
for f in conf.d/[0-9]*; do
    echo "** $f" >&2
    sudo --preserve-env "$f"
done
