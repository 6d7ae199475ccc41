#!/usr/bin/env bash
# Decimals end to end on both back ends: tests/runtime/decimal/pay.flow
# (a decimal rule `o.amount * 2 > 100.00d`, emitted decimal totals and
# `o.amount % 1`) runs tests/runtime/decimal/pay.jsonl with flowrt; the
# outcome, the rejection reasons and the journal dump (decimals byte for
# byte: 12.50 stays 12.50, round(…, 2) prints two places, 12.50 % 1 is 0.50)
# are the same for the JIT and the interpreter, and for an artifact that
# `flowc build` wrote.
#   decimal_e2e_test.sh FLOWC FLOWRT SOURCE_DIR
set -euo pipefail
flowc=$1
flowrt=$2
here=$3/tests/runtime/decimal
source "$3/tests/runtime/e2e_lib.sh"

for backend in jit interp; do
  status=0
  "$flowrt" run "$here/pay.flow" --backend "$backend" --journal "j-$backend" --input "$here/pay.jsonl" \
    > "run-$backend.txt" 2>&1 || status=$?
  [ "$status" = 3 ] || { echo "FAIL ($backend): exit $status, expected 3 (rejected lines)"; cat "run-$backend.txt"; exit 1; }
  expect "run-$backend.txt" "3 accepted, 2 rejected"
  expect "run-$backend.txt" "events out: Cleared=2 Flagged=1"
  expect "run-$backend.txt" "rejected input line 4: field 'amount': expected decimal, found number 1.00000000000000000000000000000000001 (more than 34 significant digits)"
  expect "run-$backend.txt" "rejected input line 5: field 'amount': expected decimal, found bool true"
  "$flowrt" journal dump --journal "j-$backend" > "dump-$backend.txt"
  expect "dump-$backend.txt" 'data={"amount":12.50,"fee":null,"id":"1"}'
  expect "dump-$backend.txt" 'data={"amount":12.50,"cents":0.50,"fee":null,"id":"1","total":15.12}'
  expect "dump-$backend.txt" 'data={"amount":50.01,"fee":0.10,"id":"2","note":"large","total":50.11}'
  expect "dump-$backend.txt" 'data={"amount":50.00,"cents":0.00,"fee":null,"id":"3","total":60.50}'
  expect "dump-$backend.txt" '"rules":[{"name":"pay.Large","value":"true"}]'
  "$flowrt" journal dump --journal "j-$backend" --json > "json-$backend.txt"
  expect "json-$backend.txt" '"data":{"amount":12.50,"fee":null,"id":"1"}'
done
# Both back ends journal the same events and decisions.
diff <(grep -o 'data={.*}' dump-jit.txt) <(grep -o 'data={.*}' dump-interp.txt)
diff <(grep -o 'decisions=.*' dump-jit.txt) <(grep -o 'decisions=.*' dump-interp.txt)
# The artifact `flowc build` writes runs the same.
backend=artifact
"$flowc" build "$here/pay.flow" -o pay.flowc --quiet
status=0
"$flowrt" run pay.flowc --journal j-artifact --input "$here/pay.jsonl" > run-artifact.txt 2>&1 || status=$?
[ "$status" = 3 ] || { echo "FAIL (artifact): exit $status, expected 3 (rejected lines)"; cat run-artifact.txt; exit 1; }
expect run-artifact.txt "events out: Cleared=2 Flagged=1"
"$flowrt" journal dump --journal j-artifact > dump-artifact.txt
diff <(grep -o 'data={.*}' dump-jit.txt) <(grep -o 'data={.*}' dump-artifact.txt)
echo "decimal end to end ok"
