#!/usr/bin/env python3
"""Every Flow code block in the documentation is checked by flowc.

    doc_blocks_test.py FLOWC SOURCE_DIR [DOC.md ...]

Fenced blocks are recognised by their info string:

  ```flow                   a complete program: `flowc check --werror` must
                            be silent (no errors, no warnings)
  ```flow continues         adds to the blocks before it in the same page
                            (back to the last block without `continues`);
                            `module` and `import` lines are moved to the top,
                            where a reader adding them to the file would put them
  ```flow-error CODE        must be rejected, reporting code CODE and no other
  ```flow-warning CODE      must be accepted, reporting warning CODE and no other
                            (either may also say `continues`: it is checked on
                            top of the blocks before it, but later blocks do
                            not build on it)
  ```flow-fragment          a piece of syntax, not a program: not checked

A block whose first line is `// file: NAME.flow` is one file of a program of
several: all such blocks of a page are written side by side into one folder
first, then each is checked like any other block (so imports between them
resolve). Any other info string that starts with `flow` is a mistake and
fails the test, and so does a page with no checked block at all.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

DEFAULT_DOCS = ["docs/guide.md", "docs/reference.md", "docs/design.md", "docs/stdlib.md"]
CODE = re.compile(r"^[EW]\d{4}$")
HEADER = re.compile(r"^(module|import)\s")
FILE_LINE = re.compile(r"^// file: ([A-Za-z0-9_./-]+\.flow)\s*$")


def blocks(path):
    """Yields (line number of the opening fence, info string, text) per fenced block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(`{3,})(.*)$", lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(1), m.group(2).strip(), i + 1
        body = []
        i += 1
        while i < len(lines) and not re.match(r"^" + fence + r"`*\s*$", lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        yield start, info, "\n".join(body) + "\n"


def split_header(text):
    header = [l for l in text.split("\n") if HEADER.match(l)]
    body = [l for l in text.split("\n") if not HEADER.match(l)]
    return header, body


def check(flowc, folder, name, text):
    """Runs flowc check on text saved as folder/name; returns (status, codes, stderr)."""
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    run = subprocess.run([flowc, "check", "--diagnostics", "json", path], capture_output=True, text=True)
    codes = []
    for line in run.stderr.splitlines():
        try:
            codes.append(json.loads(line)["code"])
        except (ValueError, KeyError, TypeError):
            pass
    human = subprocess.run([flowc, "check", path], capture_output=True, text=True).stderr
    return run.returncode, codes, human


def numbered(text):
    return "".join(f"{n:4} | {l}\n" for n, l in enumerate(text.rstrip("\n").split("\n"), 1))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    flowc, source = sys.argv[1], sys.argv[2]
    docs = sys.argv[3:] or DEFAULT_DOCS
    failures = 0
    checked_total = 0

    def fail(where, message, text=None, output=None):
        nonlocal failures
        failures += 1
        print(f"FAIL {where}: {message}")
        if text is not None:
            print(numbered(text), end="")
        if output:
            print("flowc said:\n" + output.rstrip())
        print()

    with tempfile.TemporaryDirectory() as work:
        for doc in docs:
            path = os.path.join(source, doc)
            if not os.path.exists(path):
                fail(doc, "no such page")
                continue
            folder = os.path.join(work, re.sub(r"\W", "_", doc))
            os.makedirs(folder)
            found = list(blocks(path))
            # Multi-file programs: every `// file:` block is written first.
            for line, info, text in found:
                first = text.split("\n", 1)[0]
                m = FILE_LINE.match(first)
                if m and info.split()[:1] and info.split()[0].startswith("flow"):
                    with open(os.path.join(folder, m.group(1)), "w", encoding="utf-8") as f:
                        f.write(text)
            base_header, base_body = [], []
            checked = 0
            for n, (line, info, text) in enumerate(found):
                words = info.split()
                if not words or not words[0].startswith("flow"):
                    continue
                kind, args = words[0], words[1:]
                where = f"{doc}:{line}"
                continues = "continues" in args
                args = [a for a in args if a != "continues"]
                if kind == "flow-fragment":
                    continue
                if kind not in ("flow", "flow-error", "flow-warning"):
                    fail(where, f"unknown block kind '{kind}' (flow, flow-error CODE, flow-warning CODE, flow-fragment)")
                    continue
                expected = None
                if kind != "flow":
                    if len(args) != 1 or not CODE.match(args[0]):
                        fail(where, f"'{kind}' needs one diagnostic code, e.g. ```{kind} E0102")
                        continue
                    expected = args[0]
                    if (kind == "flow-error") != expected.startswith("E"):
                        fail(where, f"'{kind}' with {expected}: errors are E codes, warnings W codes")
                        continue
                elif args:
                    fail(where, f"unexpected words after 'flow': {' '.join(args)}")
                    continue
                m = FILE_LINE.match(text.split("\n", 1)[0])
                if m:
                    if continues:
                        fail(where, "a '// file:' block cannot continue another")
                        continue
                    name, program = m.group(1), text
                else:
                    name = f"block{n}_line{line}.flow"
                    header, body = split_header(text)
                    if continues:
                        if not base_body and not base_header:
                            fail(where, "'continues' but no block before it to continue")
                            continue
                        program = "\n".join(base_header + header + base_body + body)
                    else:
                        program = text
                    if kind == "flow":
                        if continues:
                            base_header, base_body = base_header + header, base_body + body
                        else:
                            base_header, base_body = header, body
                checked += 1
                status, codes, human = check(flowc, folder, name, program)
                if kind == "flow":
                    if status != 0 or codes:
                        fail(where, f"flowc check --werror is not silent (exit {status}, codes {codes})", program, human)
                else:
                    want_status = 1 if kind == "flow-error" else 0
                    if status != want_status or set(codes) != {expected}:
                        fail(where, f"expected exactly {expected} (exit {want_status}); got exit {status}, codes {codes}",
                             program, human)
            if checked == 0:
                fail(doc, "no checked flow block at all")
            checked_total += checked
            print(f"{doc}: {checked} blocks checked")
    if failures:
        print(f"{failures} failure(s)")
        return 1
    print(f"all {checked_total} blocks ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
