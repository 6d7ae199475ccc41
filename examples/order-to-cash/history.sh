#!/usr/bin/env bash
# Definition history: one journal, two versions of the process definition.
#
#  1. runs orders.flow (REVIEW_LIMIT = 1000.00d) on a fresh journal with
#     orders.jsonl;
#  2. runs history/orders-v2.flow — the same process with REVIEW_LIMIT =
#     2000.00d — on the SAME journal with history/orders-later.jsonl: the
#     journal records a second definition version;
#  3. explains o-2 (run 1) and o-6 (run 2), two orders of 1800 from the US:
#     each is explained under the definition version (and hash) it was
#     dispatched under — reviewed under v1 (HighValue = true), approved
#     automatically under v2 (HighValue = false);
#  4. replays the whole journal with orders-v2.flow: which earlier decisions
#     the new threshold would have changed (o-2's order, 1002).
#
#   examples/order-to-cash/history.sh [WORK_DIR]
#
# Works from any directory; flowc and flowrt come from build/, or $FLOWC and
# $FLOWRT (examples/run-example.sh). WORK_DIR receives the journal;
# by default a temporary folder, removed at the end.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../run-example.sh"
example_workspace "$here" "$@"
journal=$work/journal

# From the example's folder, so the journal names the sources as written here.
cd "$here"
"$flowc" check --werror orders.flow
"$flowc" check --werror history/orders-v2.flow
echo "== the change"
diff orders.flow history/orders-v2.flow || true

echo "== run 1: orders.flow, orders.jsonl"
status=0
"$flowrt" run orders.flow --journal "$journal" --input orders.jsonl || status=$?
[ "$status" -eq 3 ] || { echo "history.sh: run 1 exited $status (expected 3: line 5 is invalid on purpose)" >&2; exit 1; }

echo "== run 2: history/orders-v2.flow, history/orders-later.jsonl (same journal)"
"$flowrt" run history/orders-v2.flow --journal "$journal" --input history/orders-later.jsonl

echo "== flowrt explain --event o-2   (order 1002, 1800 from the US, run 1)"
"$flowrt" explain --journal "$journal" --event o-2
echo "== flowrt explain --event o-6   (order 1006, 1800 from the US, run 2)"
"$flowrt" explain --journal "$journal" --event o-6

echo "== flowrt replay --with history/orders-v2.flow   (the whole journal under v2)"
"$flowrt" replay --journal "$journal" --with history/orders-v2.flow
