#!/bin/bash
# The OS packages a lava worker needs before lava itself is installed at boot.
set -euo pipefail
dnf -y -q install "python${PYTHON_VERSION%.*}" unixODBC postgresql15
