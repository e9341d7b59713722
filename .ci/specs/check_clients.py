"""Runs the list programs of both languages against the mock providers and compares counts.

Usage: check_clients.py MOCK_STATE PY_DIR JS_DIR KEY...

For each provider key, `PY_DIR/clients.py list <key>` (the openapi-python-client client,
run with this Python) and JS_DIR/list-<key>.js (openapi-fetch, compiled from .ci/specs/ts,
run with node) get the provider's base URL from MOCK_STATE (written by mock_providers.py). Each
must exit 0 with the last line `listed N items in P pages`, N being the mock's total for
that provider. All programs run side by side; a table of the outcomes follows, then the
output of every program that failed. Exits 1 when any failed.
"""

import json
import pathlib
import re
import subprocess
import sys

TIMEOUT = 60  # seconds for one program; a listing here takes well under one
LISTED = re.compile(r"listed (\d+) items in (\d+) pages")


def outcome(program, total):
    """(ok, summary, stdout, stderr) of a program, once it has finished. The programs print
    one line per page read, so a program that fails fails on the page after those."""
    try:
        out, err = program.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        program.kill()
        out, err = program.communicate()
        return False, f"no answer after {TIMEOUT} s", out, err
    lines = out.strip().splitlines()
    last = LISTED.fullmatch(lines[-1]) if lines else None
    if program.returncode != 0:
        error = (err.strip().splitlines() or [f"exit code {program.returncode}"])[-1]
        if re.fullmatch(r"[\w.]+", error):
            error += " (an exception without a message)"
        return False, f"FAILED on page {len(lines) + 1}: {error}", out, err
    if not last:
        return False, "FAILED: no `listed N items in P pages` line", out, err
    items, pages = int(last.group(1)), int(last.group(2))
    if items != total:
        return False, f"FAILED: listed {items} of {total} items in {pages} pages", out, err
    return True, f"{items}/{total} items in {pages} pages", out, err


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    state = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    py_dir, js_dir = pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    keys = sys.argv[4:]
    missing = [key for key in keys if key not in state]
    if missing:
        sys.exit(f"check_clients.py: mock_providers.py serves no {', '.join(missing)}")
    runs = []
    for key in keys:
        base_url = state[key]["base_url"]
        for language, command in (
            ("Python", [sys.executable, str(py_dir / "clients.py"), "list", key, base_url]),
            ("TypeScript", ["node", str(js_dir / f"list-{key}.js"), base_url]),
        ):
            program = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            runs.append((key, language, command, program))
    results = [
        (key, language, command, *outcome(program, state[key]["total"])) for key, language, command, program in runs
    ]

    width = max(map(len, keys))
    print(f"{'provider':<{width}}  {'language':<10}  result")
    for key, language, _, ok, summary, _, _ in results:
        print(f"{key:<{width}}  {language:<10}  {summary}")
    failed = [result for result in results if not result[3]]
    for key, language, command, _, summary, out, err in failed:
        print(f"\n--- {key} in {language}: {summary}\n$ {' '.join(command)}")
        print(out.rstrip())
        print(err.rstrip())
    if failed:
        print(
            f"\ncheck_clients.py: {len(failed)} of {len(results)} listings failed: "
            + ", ".join(f"{key} ({language})" for key, language, *_ in failed),
            file=sys.stderr,
        )
        sys.exit(1)
    print(f"\nall {len(results)} listings complete")


if __name__ == "__main__":
    main()
