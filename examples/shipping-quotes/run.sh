#!/usr/bin/env bash
# The shipping-quotes example end to end, in one command: starts the pricing
# service (services/pricing.py) on a free port, checks quotes.flow, runs
# quotes.jsonl on a fresh journal, compares the outcome with
# expected-outcome.txt and shows the dossier of quote Q-3 (its first attempt
# got a 503 with Retry-After, the second its price).
#
#   examples/shipping-quotes/run.sh [WORK_DIR]
#
# quotes.flow names the service's usual address, 127.0.0.1:8731; so that
# this runs anywhere, even where that port is taken, it runs a copy of the
# flow in WORK_DIR that names the port the service got. Works from any
# directory; the shared steps are in examples/run-example.sh (flowc and
# flowrt from build/, or $FLOWC and $FLOWRT). WORK_DIR receives the journal,
# the copy and the service's log (pricing.log); by default a temporary
# folder, removed at the end. Exit status: 0 when the outcome is the
# expected one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../run-example.sh"
keep=$#
example_workspace "$here" "$@"

python3 "$here/services/pricing.py" --port 0 > "$work/pricing.out" 2> "$work/pricing.log" &
pricing=$!
trap 'kill "$pricing" 2>/dev/null || true; [ "$keep" -ge 1 ] || rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/pricing.out" && break
  sleep 0.1
done
address=$(awk '/^listening on / { print $3; exit }' "$work/pricing.out")
[ -n "$address" ] || { echo "run.sh: the pricing service did not start:" >&2; cat "$work/pricing.log" >&2; exit 1; }
echo "== the pricing service listens on $address"
sed "s#http://127.0.0.1:8731#$address#" "$here/quotes.flow" > "$work/quotes.flow"

run_example "$work/quotes.flow" quotes.jsonl "$work"

echo "== flowrt dossier --key Q-3"
"$flowrt" dossier --journal journal --key Q-3
echo "== what the pricing service saw"
cat "$work/pricing.log"
exit $result
