"""Golden files in the Python tests: compare an output with the file kept
in the repository, or rewrite the file when FLOW_UPDATE_GOLDEN=1 (the one
variable every golden test honours; tests/README.md)."""
import difflib
import os

UPDATE = os.environ.get("FLOW_UPDATE_GOLDEN") == "1"


def compare_golden(path, text, rewrite=UPDATE):
    """None when `text` is what the file at `path` holds; otherwise what
    differs, as a message with a unified diff. With `rewrite` the file is
    written instead and None returned; a missing file is written too, and
    reported, so that it gets checked in."""
    if rewrite or not os.path.exists(path):
        with open(path, "w") as f:
            f.write(text)
        return None if rewrite else f"golden file {path} was missing; written, check it in"
    with open(path) as f:
        expected = f.read()
    if text == expected:
        return None
    diff = difflib.unified_diff(expected.splitlines(True), text.splitlines(True), path, "actual")
    return f"{path} differs (FLOW_UPDATE_GOLDEN=1 to rewrite):\n" + "".join(diff)
