#!/usr/bin/env python3
"""Writes a large, valid Flow program for the `check` benchmark: N events,
N rules, N services and one flow with N subscriptions (runtime.md §1's
"3,000 of each"). Every declaration is used, so the program is warning-free
and exercises resolution, type checking and every flow-graph pass."""
import sys


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    out = ["module bench.big", ""]
    out.append("event Start { key id: string, amount: float, country: string, tags: list<string> = [] }")
    for i in range(n):
        # Each event carries the whole starting event (fully contained messages).
        base = "Start"
        out.append(f"/// Step {i} of the generated process.")
        out.append(f"event Step{i} {{ ...{base}, note{i}: string?, level{i}: int = {i} }}")
    out.append("event Done { key id: string }")
    for i in range(n):
        out.append(f"rule Check{i}(e: Start) = e.amount > {i}.5 and e.country in [\"NL\", \"BE\"] "
                   f"or starts_with(e.country, \"X{i}\")")
    for i in range(n):
        consumed = "Start" if i == 0 else f"Step{i - 1}"
        out.append(f"service Service{i} {{ consumes s: {consumed} publishes Step{i} "
                   f"emit Step{i} {{ ...s, note{i}: none }} }}")
    out.append(f"service Finish {{ consumes s: Step{n - 1} publishes Done emit Done {{ id: s.id }} }}")
    out.append("flow Big {")
    out.append("  start Start")
    out.append("  end Done")
    for i in range(n):
        event = "Start" if i == 0 else f"Step{i - 1}"
        out.append(f"  on {event} when Check{i} -> Service{i}")
    out.append(f"  on Step{n - 1} -> Finish")
    out.append("}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
