#!/usr/bin/env bash
# Runs the README's "A first tour" commands exactly as written, in a fresh
# folder that sees the build and the examples where the README says they
# are. Every command must succeed; `flowrt run` may exit 3 (the example's
# input has one invalid line on purpose).
#   readme_tour_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$build" "$work/build"
ln -s "$source/examples" "$work/examples"
sed -n '/^## A first tour/,/^## /p' "$source/README.md" | sed -n '/^```sh$/,/^```$/p' | grep -v '^```' > "$work/tour.sh"
count=$(grep -c . "$work/tour.sh")
[ "$count" -ge 10 ] || { echo "FAIL: found only $count tour commands in README.md"; exit 1; }
cd "$work"
failures=0
while IFS= read -r command; do
  [ -n "$command" ] || continue
  bash -c "$command" > out.txt 2>&1
  status=$?
  allowed=0
  case "$command" in build/runtime/flowrt\ run*) allowed=3 ;; esac
  if [ "$status" -ne 0 ] && [ "$status" -ne "$allowed" ]; then
    echo "FAIL (exit $status): $command"
    head -20 out.txt
    failures=$((failures + 1))
  fi
done < tour.sh
[ -s journal.db ] || { echo "FAIL: the tour's export wrote no journal.db"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || exit 1
echo "README tour: $count commands ok"
