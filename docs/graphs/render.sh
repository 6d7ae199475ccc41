#!/usr/bin/env bash
# Renders every example's flow graph to docs/graphs/<example>.svg with
# Graphviz (run after changing an example or the graph writer).
set -euo pipefail
cd "$(dirname "$0")/../.."
flowc=${FLOWC:-build/compiler/flowc}
for folder in examples/*/; do
  name=$(basename "$folder")
  file=$(ls "$folder"*.flow | head -1)
  "$flowc" graph "$file" | dot -Tsvg > "docs/graphs/$name.svg"
  echo "docs/graphs/$name.svg"
done
