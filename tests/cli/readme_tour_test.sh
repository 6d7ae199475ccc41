#!/usr/bin/env bash
# Runs the README's "A first tour" commands exactly as written, in a fresh
# folder that sees the build and the examples where the README says they
# are. A command is one line, or a line that opens a heredoc (<<'EOF') up to
# its terminator. Every command must succeed; `flowrt run` may exit 3 (the
# example's input has one invalid line on purpose), and a command whose
# comment says `exits N` must exit with exactly N.
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
commands=0
run_command() {
  local command=$1
  commands=$((commands + 1))
  bash -c "$command" > out.txt 2>&1
  local status=$? first=${command%%$'\n'*}
  local allowed=0
  case "$first" in build/runtime/flowrt\ run*|*\|\ build/runtime/flowrt\ run*) allowed=3 ;; esac
  if [[ "$first" =~ \#.*exits\ ([0-9]+) ]]; then
    if [ "$status" -ne "${BASH_REMATCH[1]}" ]; then
      echo "FAIL (exit $status, the README says ${BASH_REMATCH[1]}): $first"
      head -20 out.txt
      failures=$((failures + 1))
    fi
  elif [ "$status" -ne 0 ] && [ "$status" -ne "$allowed" ]; then
    echo "FAIL (exit $status): $first"
    head -20 out.txt
    failures=$((failures + 1))
  fi
}
pending="" terminator=""
while IFS= read -r line; do
  if [ -n "$terminator" ]; then
    pending+=$'\n'"$line"
    if [ "$line" = "$terminator" ]; then
      run_command "$pending"
      pending="" terminator=""
    fi
    continue
  fi
  [ -n "$line" ] || continue
  if [[ "$line" =~ \<\<-?\'?\"?([A-Za-z_]+) ]]; then
    pending=$line terminator=${BASH_REMATCH[1]}
    continue
  fi
  run_command "$line"
done < tour.sh
[ -z "$terminator" ] || { echo "FAIL: heredoc without its terminator '$terminator'"; failures=$((failures + 1)); }
# The error the README shows is what flowc prints for the tour's typo.flow.
awk '/^A mistake is reported/ { on = 1; next }
     on == 1 && /^```/ { on = 2; next }
     on == 2 && /^```$/ { exit }
     on == 2 { print }' "$source/README.md" > shown.txt
if [ -f typo.flow ]; then
  build/compiler/flowc check typo.flow 2> printed.txt
  diff -u --label "README.md (the error shown)" --label "flowc check typo.flow" shown.txt printed.txt ||
    { echo "FAIL: the README's error block is not what flowc prints"; failures=$((failures + 1)); }
fi
[ -s journal.db ] || { echo "FAIL: the tour's export wrote no journal.db"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || exit 1
echo "README tour: $commands commands ok"
