#!/bin/bash
# Prints the user guide's samples page on stdout: for each item category a
# line of the index and, for each of its templates (templates/<category>/*.yaml),
# a collapsed block holding the item as YAML, its id set to "demo".
# Run from this folder; the guide build runs it in a scratch copy.
set -euo pipefail

categories=(job connection)

for category in "${categories[@]}"; do
  echo "*   [${category^} samples](#${category}-samples)"
done
echo

for category in "${categories[@]}"; do
  echo "## ${category^} Samples"
  for template in templates/"$category"/[a-z]*.yaml; do
    item=$(basename "$template" .yaml)
    echo "??? \"$item\""
    echo
    echo '    ```yaml'
    sed -e "s/<{ ${category}_id }>/demo/g" -e 's/^/    /' "$template"
    echo '    ```'
    echo
  done
done
