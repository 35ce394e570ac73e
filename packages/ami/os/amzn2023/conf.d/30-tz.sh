#!/bin/bash
# The timezone of instances made from the AMI.
set -euo pipefail
timedatectl set-timezone "$TIMEZONE"
