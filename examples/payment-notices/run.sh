#!/usr/bin/env bash
# The payment-notices example end to end, in one command: checks
# notices.flow, runs notices.jsonl on a fresh journal, compares the outcome
# with expected-outcome.txt, explains the notice held for a split to an
# unknown account (n-7: the witness of `all` names the split), and shows the
# dossier of the exact large payment (P-9).
#
#   examples/payment-notices/run.sh [WORK_DIR]
#
# Works from any directory; the shared steps are in examples/run-example.sh
# (flowc and flowrt from build/, or $FLOWC and $FLOWRT). WORK_DIR receives the
# journal; by default a temporary folder, removed at the end.
# Exit status: 0 when the outcome is the expected one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../run-example.sh"
run_example notices.flow notices.jsonl "$@"

echo "== flowrt explain --event n-7"
"$flowrt" explain --journal journal --event n-7
echo "== flowrt dossier --key P-9"
"$flowrt" dossier --journal journal --key P-9
exit $result
