#!/usr/bin/env python3
"""Golden tests over the compiler's stages: the rule IR and the runtime plan
of every example (examples/*/*.flow), as `flowc build --emit ir` and
`--emit plan` print them, against tests/stages/golden/<example>.ir and
<example>.plan. A change to lowering, the plan builder or their printers
shows here as a readable diff. FLOW_UPDATE_GOLDEN=1 rewrites the files.

The other stages (ast, checked, llvm) are checked to print something for
every example, without goldens: the LLVM text names the host's target, and
the AST and checked dumps are a view for people, tested by use.

usage: stages_test.py FLOWC REPO_DIR"""
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from golden import compare_golden  # noqa: E402

FLOWC, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
GOLDEN = os.path.join(REPO, "tests", "stages", "golden")


def emit(folder, file, stage):
    # Run in the example's folder with a relative path, as its run.sh does,
    # so nothing printed depends on where the repository lies.
    out = subprocess.run([FLOWC, "build", "--emit", stage, file], cwd=folder, capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"flowc build --emit {stage} {file} failed ({out.returncode}): {out.stderr}")
    if out.stderr:
        raise AssertionError(f"flowc build --emit {stage} {file} printed on stderr: {out.stderr}")
    return out.stdout


def main():
    failures = []
    sources = sorted(glob.glob(os.path.join(REPO, "examples", "*", "*.flow")))
    if not sources:
        failures.append("no examples found")
    names = set()
    for source in sources:
        folder, file = os.path.split(source)
        example = os.path.basename(folder)
        several = len(glob.glob(os.path.join(folder, "*.flow"))) > 1
        name = f"{example}-{file[:-5]}" if several else example
        names.add(name)
        try:
            for stage in ("ir", "plan"):
                text = emit(folder, file, stage)
                problem = compare_golden(os.path.join(GOLDEN, f"{name}.{stage}"), text)
                if problem:
                    failures.append(problem[:6000])
            for stage in ("ast", "checked", "llvm"):
                if not emit(folder, file, stage).strip():
                    failures.append(f"{name}: --emit {stage} printed nothing")
        except (AssertionError, OSError, subprocess.TimeoutExpired) as e:
            failures.append(str(e))
    # A golden whose example is gone is stale.
    for path in sorted(glob.glob(os.path.join(GOLDEN, "*"))):
        stem = os.path.basename(path).rsplit(".", 1)[0]
        if stem not in names:
            failures.append(f"{path}: no example of that name")
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(sources)} examples, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
