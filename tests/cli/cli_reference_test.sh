#!/usr/bin/env bash
# docs/cli.md shows the exact `--help` output of every command. This test
# keeps it true:
#   - every block introduced by a marker line `<!-- help: TOOL [SUB...] -->`
#     (TOOL is flowc or flowrt; the next fenced block is the help text) must
#     be what `TOOL SUB... --help` prints, else the test fails with a diff;
#   - every subcommand that `flowc --help` or `flowrt --help` lists (and their
#     own subcommands, such as `flowrt journal verify`) must have a marker;
#   - a marker `<!-- help-pending: TOOL SUB... -->` documents a command that
#     is still being built: skipped while the tools do not list it, a failure
#     once they do (then run --update).
#
#   cli_reference_test.sh FLOWC FLOWRT SOURCE_DIR            check
#   cli_reference_test.sh FLOWC FLOWRT SOURCE_DIR --update   rewrite the blocks
#       under the markers from the real output (and turn a pending marker
#       into a plain one once its command exists); FLOW_UPDATE_GOLDEN=1 in
#       the environment does the same (tests/README.md)
# --update never writes a section: a command with no marker is still
# reported, and its section has to be written by hand.
set -uo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,19p' "$0"
  exit 2
fi
flowc=$1
flowrt=$2
doc=$3/docs/cli.md
update=${4:-}
[ "${FLOW_UPDATE_GOLDEN:-}" = 1 ] && update=--update
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

[ -f "$doc" ] || { echo "FAIL: no $doc"; exit 1; }

# Runs `TOOL SUB... --help`, the tool named by its plain name.
help_of() {
  local tool=$1
  shift
  case "$tool" in
    flowc) "$flowc" "$@" --help ;;
    flowrt) "$flowrt" "$@" --help ;;
    *) echo "unknown tool '$tool'" >&2; return 2 ;;
  esac
}

# The subcommands a help text lists (CLI11: a "Subcommands:" heading, then
# one indented line per subcommand, up to a blank line).
subcommands_of() {
  awk 'tolower($0) ~ /^subcommands:$/ { on = 1; next }
       on && /^[ \t]*$/ { on = 0 }
       on && /^  [a-z]/ { print $1 }'
}

# Every command path reachable from the two tools, breadth first.
: > "$work/commands"
queue=("flowc" "flowrt")
while [ ${#queue[@]} -gt 0 ]; do
  command=${queue[0]}
  queue=("${queue[@]:1}")
  echo "$command" >> "$work/commands"
  # shellcheck disable=SC2086
  help_of $command > "$work/help" 2>&1 || { fail "'$command --help' failed"; continue; }
  while read -r sub; do
    queue+=("$command $sub")
  done < <(subcommands_of < "$work/help")
done

marker_re='^<!-- help(-pending)?: ([a-z][a-z -]*[a-z]) -->$'
# The markers, one per line: "plain|pending TOOL SUB..." (in page order).
while IFS= read -r line; do
  if [[ "$line" =~ $marker_re ]]; then
    if [ -n "${BASH_REMATCH[1]}" ]; then echo "pending ${BASH_REMATCH[2]}"; else echo "plain ${BASH_REMATCH[2]}"; fi
  fi
done < "$doc" > "$work/markers"
cut -d' ' -f2- "$work/markers" > "$work/marked"

while read -r command; do
  if ! grep -qxF -- "plain $command" "$work/markers"; then
    if grep -qxF -- "pending $command" "$work/markers"; then
      [ "$update" = "--update" ] || fail "'$command' exists now: its marker in docs/cli.md is still help-pending (run with --update)"
    else
      fail "'$command' has no section in docs/cli.md (add '<!-- help: $command -->' and a fenced block)"
    fi
  fi
done < "$work/commands"
while read -r kind command; do
  if [ "$kind" = plain ] && ! grep -qxF -- "$command" "$work/commands"; then
    fail "docs/cli.md documents '$command', which the tools do not list"
  fi
done < "$work/markers"

if [ "$update" = "--update" ]; then
  # Rewrite: after each marker whose command exists, drop the fenced block
  # that follows (blank lines first) and print the real help text instead.
  out="$work/cli.md"
  : > "$out"
  state=copy
  while IFS= read -r line || [ -n "$line" ]; do
    case "$state" in
      copy)
        if [[ "$line" =~ $marker_re ]] && grep -qxF -- "${BASH_REMATCH[2]}" "$work/commands"; then
          command=${BASH_REMATCH[2]}
          printf '<!-- help: %s -->\n```text\n' "$command" >> "$out"
          # shellcheck disable=SC2086
          help_of $command >> "$out" 2>&1 || fail "'$command --help' failed"
          echo '```' >> "$out"
          state=skip_to_open
        else
          printf '%s\n' "$line" >> "$out"
        fi
        ;;
      skip_to_open)
        if [ -z "$line" ]; then continue; fi
        if [[ "$line" == '```'* ]]; then state=skip_to_close; else
          printf '\n%s\n' "$line" >> "$out"  # no block under the marker: keep the text
          state=copy
        fi
        ;;
      skip_to_close)
        if [ "$line" = '```' ]; then state=copy; fi
        ;;
    esac
  done < "$doc"
  if [ "$failures" -eq 0 ]; then
    cp "$out" "$doc"
    echo "docs/cli.md: help blocks rewritten"
    exit 0
  fi
  echo "docs/cli.md not rewritten"
  exit 1
fi

# Check: the block after each marker is the help text, exactly.
n=0
while read -r kind command; do
  [ "$kind" = plain ] || continue
  n=$((n + 1))
  # The fenced block after the marker (skipping blank lines).
  awk -v want="<!-- help: $command -->" '
    $0 == want { found = 1; next }
    found == 1 && /^[ \t]*$/ { next }
    found == 1 && /^```/ { found = 2; next }
    found == 1 { exit }
    found == 2 && /^```$/ { exit }
    found == 2 { print }' "$doc" > "$work/documented"
  # shellcheck disable=SC2086
  help_of $command > "$work/actual" 2>&1 || { fail "'$command --help' failed"; continue; }
  if ! diff -u --label "docs/cli.md ($command --help)" --label "actual" "$work/documented" "$work/actual" > "$work/diff"; then
    fail "the help of '$command' in docs/cli.md differs from the real one (run this test with --update):"
    cat "$work/diff"
  fi
done < "$work/markers"

[ "$n" -gt 0 ] || fail "docs/cli.md has no '<!-- help: ... -->' markers"
[ "$failures" -eq 0 ] || exit 1
echo "docs/cli.md: $n help blocks match, every subcommand has a section"
