#!/usr/bin/env bash
# flowc's command line as a user meets it: exit statuses 0/1/2, --help of each
# subcommand, --version, human and JSON diagnostics, --werror, graph output.
#   flowc_cli_test.sh FLOWC EXAMPLES_DIR
set -uo pipefail
flowc=$1
examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_status() {  # expected-status description command...
  local want=$1 what=$2
  shift 2
  "$@" > "$work/out" 2> "$work/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, expected $want (stderr: $(head -c 300 "$work/err"))"
}

expect_status 0 "--version" "$flowc" --version
grep -q '^flowc [0-9]' "$work/out" || fail "--version prints 'flowc X.Y.Z'"
expect_status 0 "--help" "$flowc" --help
for sub in check graph; do
  expect_status 0 "$sub --help" "$flowc" "$sub" --help
  grep -q -- "--werror" "$work/out" || fail "$sub --help lists --werror"
done
expect_status 2 "no subcommand" "$flowc"
expect_status 2 "unknown option" "$flowc" check --frobnicate "$examples/order-to-cash/orders.flow"
expect_status 2 "missing file" "$flowc" check "$work/absent.flow"
expect_status 2 "bad --diagnostics value" "$flowc" check --diagnostics xml "$examples/order-to-cash/orders.flow"

expect_status 0 "clean example" "$flowc" check --werror "$examples/order-to-cash/orders.flow"
[ ! -s "$work/err" ] || fail "a clean check prints nothing"

sed 's/when NeedsReview /when NeedReview /' "$examples/order-to-cash/orders.flow" > "$work/typo.flow"
expect_status 1 "unknown rule" "$flowc" check "$work/typo.flow"
grep -q "typo.flow:69:23: error\[E0102\]: unknown rule 'NeedReview'" "$work/err" || fail "human diagnostic header"
grep -q "help: did you mean 'NeedsReview'?" "$work/err" || fail "help line with the nearest name"
grep -q '\^\^\^\^\^\^\^\^\^\^' "$work/err" || fail "caret under the whole name"
if grep -q $'\033' "$work/err"; then fail "no colour when stderr is not a terminal"; fi

expect_status 1 "json diagnostics" "$flowc" check --diagnostics json "$work/typo.flow"
python3 - "$work/err" <<'PY' || fail "json diagnostics are one valid object per line with the documented fields"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["code"] == "E0102" and d["severity"] == "error" and d["line"] == 69 and d["column"] == 23, d
assert d["end"] == {"line": 69, "column": 33}, d
assert d["help"] == "did you mean 'NeedsReview'?", d
assert d["file"].endswith("typo.flow") and "NeedReview" in d["message"]
PY

# A warning passes, --werror turns it into an error.
cat "$examples/order-to-cash/orders.flow" > "$work/warn.flow"
echo 'rule Unused(o: OrderPlaced) = o.items > 3' >> "$work/warn.flow"
expect_status 0 "warning only" "$flowc" check "$work/warn.flow"
grep -q "warning\[W0204\]" "$work/err" || fail "W0204 reported as a warning"
expect_status 1 "--werror" "$flowc" check --werror "$work/warn.flow"
grep -q "error\[W0204\]" "$work/err" || fail "--werror reports the warning as an error"

expect_status 0 "graph dot" "$flowc" graph "$examples/order-to-cash/orders.flow"
grep -q "digraph" "$work/out" || fail "graph prints DOT"
expect_status 0 "graph mermaid" "$flowc" graph --format mermaid --flow OrderToCash "$examples/order-to-cash/orders.flow"
grep -q "flowchart" "$work/out" || fail "graph prints Mermaid"
expect_status 2 "graph unknown flow" "$flowc" graph --flow Nope "$examples/order-to-cash/orders.flow"
expect_status 1 "graph of a broken program" "$flowc" graph "$work/typo.flow"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "flowc CLI: all checks passed"
