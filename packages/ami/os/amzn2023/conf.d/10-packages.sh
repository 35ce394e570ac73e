#!/bin/bash
# The OS packages a lava worker needs before lava itself is installed at boot.
set -euo pipefail
: "${PYTHON_VERSION:?PYTHON_VERSION is not set (ami-build.sh passes it on)}"
dnf -y -q install "python${PYTHON_VERSION%.*}" unixODBC postgresql15
