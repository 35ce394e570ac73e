#!/bin/bash
# The timezone of instances made from the AMI.
set -euo pipefail
: "${TIMEZONE:?TIMEZONE is not set (ami-build.sh passes it on)}"
timedatectl set-timezone "$TIMEZONE"
