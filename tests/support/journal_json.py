"""Reading `flowrt journal dump --json` in the Python tests."""


def flatten_decisions(records):
    """A `decisions` record (all conditional subscriptions of one event) read
    as one `decision` record per subscription, in order, as the tests ask."""
    flat = []
    for r in records:
        if r["kind"] != "decisions":
            flat.append(r)
            continue
        for d in r["decisions"]:
            flat.append({"seq": r["seq"], "kind": "decision", "event": r["event"], **d})
    return flat
