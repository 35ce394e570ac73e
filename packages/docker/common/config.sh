# Shared settings of the image scripts (sourced, not run).
# shellcheck shell=bash
PYTHON_VERSION=3.12
FREETDS_VERSION=1.5.4
# basic or basiclite: the Instant Client the full images carry (with SQL*Plus).
ORACLE_TYPE=basiclite
# yes: pip-install the worker's requirement files into $LAVA_BASE/pylib.
LAVA_PIP_INSTALL=yes
