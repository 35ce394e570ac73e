# Shared settings of the image scripts (sourced, not run).
# shellcheck shell=bash
PYTHON_VERSION=3.12
FREETDS_VERSION=1.5.4
# The Instant Client the full images carry with SQL*Plus: the build copies the basiclite
# and sqlplus zips (nx run oracle:sync fetches basic too, for other uses).
ORACLE_TYPE=basiclite
# yes: pip-install the worker's requirement files into $LAVA_BASE/pylib.
LAVA_PIP_INSTALL=yes
