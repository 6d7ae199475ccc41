#!/usr/bin/env bash
# Renders every example's flow graph with Graphviz, to docs/graphs/<example>.svg
# and to examples/<example>/graph.svg (embedded in the example's README.md).
# Run after changing an example or the graph writer:
#   docs/graphs/render.sh            (FLOWC=path/to/flowc to use another build)
# An example's main file is the one its expected-outcome.txt runs
# (`run FILE INPUT`), else its first .flow file.
set -euo pipefail
cd "$(dirname "$0")/../.."
flowc=${FLOWC:-build/compiler/flowc}
for folder in examples/*/; do
  name=$(basename "$folder")
  file=""
  if [ -f "$folder/expected-outcome.txt" ]; then
    file=$(awk '$1 == "run" { print $2; exit }' "$folder/expected-outcome.txt")
  fi
  [ -n "$file" ] || file=$(cd "$folder" && ls *.flow 2>/dev/null | head -1)
  [ -n "$file" ] || continue
  "$flowc" graph --format dot "$folder$file" | dot -Tsvg > "docs/graphs/$name.svg"
  cp "docs/graphs/$name.svg" "${folder}graph.svg"
  echo "docs/graphs/$name.svg ${folder}graph.svg"
done
