#!/usr/bin/env bash
# What every example's run.sh does, shared: check the flow, run its input on
# a fresh journal, compare the outcome with expected-outcome.txt. Sourced by
# examples/*/run.sh, which then show what is interesting about their run.
#
#   run_example FLOW INPUT [WORK_DIR]
#
# FLOW is relative to the example's folder, or absolute (a copy elsewhere).
# Uses build/compiler/flowc and build/runtime/flowrt of this repository, or
# $FLOWC and $FLOWRT. WORK_DIR receives the journal and whatever the run
# writes (sinks write relative to it); by default a temporary folder, removed
# at the end. Leaves the shell in WORK_DIR with $flowrt set, and $result 0
# when the outcome is the expected one, else 1.

# example_workspace FOLDER [WORK_DIR]: sets $flowc, $flowrt and $work (see
# above) for the example in FOLDER.
example_workspace() {
  local folder=$1
  shift
  local root
  root=$(cd "$folder/../.." && pwd)
  tool() { case $1 in */*) [[ $1 = /* ]] && echo "$1" || echo "$PWD/$1" ;; *) echo "$1" ;; esac; }
  flowc=$(tool "${FLOWC:-$root/build/compiler/flowc}")
  flowrt=$(tool "${FLOWRT:-$root/build/runtime/flowrt}")
  if [ $# -ge 1 ]; then
    mkdir -p "$1" && work=$(cd "$1" && pwd)
  else
    work=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$folder").XXXXXX") && trap 'rm -rf "$work"' EXIT
  fi
  [ ! -e "$work/journal" ] || { echo "$(basename "$0"): $work/journal exists: give a fresh folder" >&2; exit 2; }
}

run_example() {
  local flow=$1 input=$2
  shift 2
  here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
  example_workspace "$here" "$@"

  local path=$flow
  [[ $flow = /* ]] || path=$here/$flow
  echo "== flowc check --werror $flow"
  "$flowc" check --werror "$path"

  cd "$work"
  echo "== flowrt run $flow --input $input   (in $work)"
  local status=0
  "$flowrt" run "$path" --journal journal --input "$here/$input" || status=$?

  echo "== flowrt dossier --all"
  "$flowrt" dossier --journal journal --all | tee dossier-all.txt
  # The outcome: the exit status, then the list without its LAST (time) column.
  { echo "exit $status"; awk 'NR == 1 { print; next } { $5 = ""; print }' dossier-all.txt; } > outcome.txt
  grep -v -e '^#' -e '^run ' -e '^service ' "$here/expected-outcome.txt" > expected.txt
  result=0
  if diff -w expected.txt outcome.txt; then
    echo "outcome matches expected-outcome.txt"
  else
    echo "outcome differs from expected-outcome.txt (< expected, > this run)"
    result=1
  fi
}
