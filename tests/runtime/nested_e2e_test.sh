#!/usr/bin/env bash
# Nested data end to end on both back ends: tests/runtime/nested/orders.flow
# (records, a list of records, a map, decimals) runs
# tests/runtime/nested/orders.jsonl with flowrt. The valid orders go through
# a spread emit and an exec service that echoes their data; mistakes at depth
# are rejected with their paths; the journal dump shows the nested data with
# every decimal as sent; the SQLite export is read with json_extract.
#   nested_e2e_test.sh FLOWRT SOURCE_DIR
set -euo pipefail
flowrt=$1
here=$2/tests/runtime/nested
source "$2/tests/runtime/e2e_lib.sh"

for backend in jit interp; do
  status=0
  "$flowrt" run "$here/orders.flow" --backend "$backend" --journal "j-$backend" --input "$here/orders.jsonl" \
    > "run-$backend.txt" 2>&1 || status=$?
  [ "$status" = 3 ] || { echo "FAIL ($backend): exit $status, expected 3 (rejected lines)"; cat "run-$backend.txt"; exit 1; }
  expect "run-$backend.txt" "2 accepted, 4 rejected"
  expect "run-$backend.txt" "OrderAccepted=2"
  expect "run-$backend.txt" "OrderShipped=2"
  expect "run-$backend.txt" "rejected input line 3: field 'items[1].qty': expected int, found string \"x\""
  expect "run-$backend.txt" "rejected input line 4: missing field 'ship_to.city'"
  expect "run-$backend.txt" "rejected input line 5: field 'labels': duplicate key 'k'"
  expect "run-$backend.txt" "rejected input line 6: field 'items[0].price': expected decimal, found number 1.00000000000000000000000000000000001 (more than 34 significant digits)"
  "$flowrt" journal dump --journal "j-$backend" > "dump-$backend.txt"
  # (dump lists an object's keys in sorted order)
  expect "dump-$backend.txt" '"items":[{"price":12.50,"qty":2,"sku":"A","tags":["red"]},{"price":0.99,"qty":10,"sku":"B","tags":[]}]'
  expect "dump-$backend.txt" '"labels":{"channel":"web","prio":"high"}'
  expect "dump-$backend.txt" '"ship_to":{"city":"Utrecht","country":"NL","street":"Main 1"}'
  expect "dump-$backend.txt" '"total":34.90'
  expect "dump-$backend.txt" '"total":0.00'
  expect "dump-$backend.txt" '"carrier":"dhl"'
  "$flowrt" journal export --journal "j-$backend" --format sqlite -o "export-$backend.db" > /dev/null
  python3 - "export-$backend.db" > "sql-$backend.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("SELECT json_extract(data, '$.ship_to.city'), data -> '$.items[0].price', "
                      "json_extract(data, '$.labels.prio') FROM events "
                      "WHERE type = 'nested.OrderShipped' ORDER BY seq"):
    print("|".join("NULL" if v is None else str(v) for v in row))
PY
  expect "sql-$backend.txt" "Utrecht|12.50|high"
  expect "sql-$backend.txt" "Gent|NULL|NULL"
done
# Both back ends journal the same data.
diff <(grep -o 'data={.*}' dump-jit.txt) <(grep -o 'data={.*}' dump-interp.txt)
echo "nested end to end ok"
