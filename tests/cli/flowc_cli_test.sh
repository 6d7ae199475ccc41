#!/usr/bin/env bash
# flowc's command line as a user meets it: exit statuses 0/1/2, --help of each
# subcommand, --version, human and JSON diagnostics, --werror, graph output,
# fmt (in place, --check, --stdout, standard input, syntax errors), build
# --emit of every stage.
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
grep -q "typo.flow:85:23: error\[E0102\]: unknown rule 'NeedReview'" "$work/err" || fail "human diagnostic header"
grep -q "help: did you mean 'NeedsReview'?" "$work/err" || fail "help line with the nearest name"
grep -q '\^\^\^\^\^\^\^\^\^\^' "$work/err" || fail "caret under the whole name"
if grep -q $'\033' "$work/err"; then fail "no colour when stderr is not a terminal"; fi

expect_status 1 "json diagnostics" "$flowc" check --diagnostics json "$work/typo.flow"
python3 - "$work/err" <<'PY' || fail "json diagnostics are one valid object per line with the documented fields"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["code"] == "E0102" and d["severity"] == "error" and d["line"] == 85 and d["column"] == 23, d
assert d["end"] == {"line": 85, "column": 33}, d
assert d["help"] == "did you mean 'NeedsReview'?", d
assert d["file"].endswith("typo.flow") and "NeedReview" in d["message"]
PY

# A warning passes, --werror turns it into an error.
cat "$examples/order-to-cash/orders.flow" > "$work/warn.flow"
echo 'rule Unused(o: OrderPlaced) = len(o.items) > 3' >> "$work/warn.flow"
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

# flowc fmt: rewrites in place only when needed; --check writes nothing and
# exits 1 on an unformatted file; syntax errors exit 1 and touch nothing;
# unreadable or missing files exit 2.
expect_status 0 "fmt --help" "$flowc" fmt --help
grep -q -- "--check" "$work/out" || fail "fmt --help lists --check"
grep -q -- "--stdout" "$work/out" || fail "fmt --help lists --stdout"
expect_status 0 "fmt --check on every example and the stdlib" "$flowc" fmt --check "$examples"/*/*.flow "$examples"/../stdlib/std/*.flow
printf 'event E{key id:string}\n// kept\nrule R(e:E)=e.id!=""   // also kept\n' > "$work/messy.flow"
cp "$work/messy.flow" "$work/messy.orig"
expect_status 1 "fmt --check on an unformatted file" "$flowc" fmt --check "$work/messy.flow"
grep -q "messy.flow" "$work/err" || fail "fmt --check names the unformatted file on stderr"
cmp -s "$work/messy.flow" "$work/messy.orig" || fail "fmt --check does not modify the file"
expect_status 0 "fmt --stdout" "$flowc" fmt --stdout "$work/messy.flow"
cp "$work/out" "$work/messy.expected"
grep -q "^// kept$" "$work/messy.expected" || fail "fmt keeps own-line comments"
grep -q 'rule R(e: E) = e.id != "" // also kept$' "$work/messy.expected" || fail "fmt --stdout prints the canonical form"
cmp -s "$work/messy.flow" "$work/messy.orig" || fail "fmt --stdout does not modify the file"
expect_status 0 "fmt rewrites a file" "$flowc" fmt "$work/messy.flow"
cmp -s "$work/messy.flow" "$work/messy.expected" || fail "fmt writes what --stdout prints"
expect_status 0 "fmt --check on a formatted file" "$flowc" fmt --check "$work/messy.flow"
[ ! -s "$work/err" ] || fail "fmt --check is silent on a formatted file"
inode=$(stat -c %i "$work/messy.flow")
expect_status 0 "fmt on a formatted file" "$flowc" fmt "$work/messy.flow"
[ "$(stat -c %i "$work/messy.flow")" = "$inode" ] || fail "fmt leaves a formatted file alone"
printf 'event E { key id: string }\nrule R(e: E) = e.id ==\n' > "$work/broken.flow"
cp "$work/broken.flow" "$work/broken.orig"
expect_status 1 "fmt on a syntax error" "$flowc" fmt "$work/broken.flow"
grep -q "broken.flow:3:1: error\[E0001\]" "$work/err" || fail "fmt reports syntax errors as check does"
cmp -s "$work/broken.flow" "$work/broken.orig" || fail "fmt leaves a file with syntax errors alone"
expect_status 1 "fmt --check on a syntax error" "$flowc" fmt --check "$work/broken.flow"
# '-': standard input, formatted to standard output (for editors).
expect_status 0 "fmt - (standard input)" "$flowc" fmt - < "$work/messy.orig"
cmp -s "$work/out" "$work/messy.expected" || fail "fmt - prints what --stdout prints"
expect_status 1 "fmt - --check on unformatted input" "$flowc" fmt - --check < "$work/messy.orig"
grep -q "^<stdin>: not formatted$" "$work/err" || fail "fmt - --check names <stdin>"
[ ! -s "$work/out" ] || fail "fmt - --check prints nothing on stdout"
expect_status 0 "fmt - --check on formatted input" "$flowc" fmt - --check < "$work/messy.expected"
expect_status 1 "fmt - on a syntax error" "$flowc" fmt - < "$work/broken.orig"
grep -q "<stdin>:3:1: error\[E0001\]" "$work/err" || fail "fmt - reports syntax errors against <stdin>"
[ ! -s "$work/out" ] || fail "fmt - prints nothing when the input has syntax errors"
expect_status 2 "fmt on a missing file" "$flowc" fmt "$work/absent.flow"
expect_status 2 "fmt --check with --stdout" "$flowc" fmt --check --stdout "$work/messy.flow"
expect_status 2 "fmt without a file" "$flowc" fmt

# build --emit: each stage to stdout, -o optional with it, required without.
orders="$examples/order-to-cash/orders.flow"
expect_status 2 "build with neither -o nor --emit" "$flowc" build "$orders"
expect_status 2 "build --emit of an unknown stage" "$flowc" build --emit tokens "$orders"
for stage in ast checked ir plan llvm; do
  expect_status 0 "build --emit $stage" "$flowc" build --emit "$stage" "$orders"
  [ -s "$work/out" ] || fail "build --emit $stage prints the stage"
  [ ! -s "$work/err" ] || fail "build --emit $stage prints nothing on stderr"
done
expect_status 0 "build --emit ast" "$flowc" build --emit ast "$orders"
grep -q "^  rule HighValue(o: OrderPlaced) = (> (field total (name o)) (name REVIEW_LIMIT))$" "$work/out" ||
  fail "--emit ast shows a rule's syntax tree"
expect_status 0 "build --emit checked" "$flowc" build --emit checked "$orders"
grep -q "(const:decimal shop.orders.REVIEW_LIMIT)" "$work/out" || fail "--emit checked shows resolved names and types"
grep -q "^    #10 approved_by: string$" "$work/out" || fail "--emit checked expands included fields"
expect_status 0 "build --emit plan" "$flowc" build --emit plan "$orders"
grep -q '^    route shop.orders.OrderToCash on#0 when fn[0-9]* "condition shop.orders.OrderToCash#0' "$work/out" ||
  fail "--emit plan shows the dispatch table's routes with their condition functions"
expect_status 0 "build --emit llvm" "$flowc" build --emit llvm "$orders"
grep -q "^define .*@flow_fn_" "$work/out" || fail "--emit llvm prints LLVM IR with the rule functions"
[ ! -e "$work/emit.flowc" ] || fail "no stray artifact"
expect_status 0 "build --emit ir -o" "$flowc" build --emit ir -q "$orders" -o "$work/emit.flowc"
[ -s "$work/out" ] && [ -s "$work/emit.flowc" ] || fail "--emit with -o prints the stage and writes the artifact"
expect_status 2 "build --emit of an artifact" "$flowc" build --emit plan "$work/emit.flowc"
expect_status 1 "build --emit of a program with errors" "$flowc" build --emit ir "$work/typo.flow"
[ ! -s "$work/out" ] || fail "--emit prints nothing when the program has errors"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "flowc CLI: all checks passed"
