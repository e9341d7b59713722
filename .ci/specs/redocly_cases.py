"""Proves that `redocly lint` with redocly.yaml reports each defect the project leaves to it.

`cargo xtask lint` checks only what no external linter does; the rest (descriptions,
examples, operation ids, servers, security, `$ref`s) is Redocly's, configured in
redocly.yaml. Each case in redocly-cases.yaml breaks a copy of one spec in one way and
names the problems (rule id and JSON pointer) Redocly must report for it; a rule turned
off or a configurable rule that stops matching fails here.

Usage: python redocly_cases.py <repository root> <cases file> <scratch folder>
(`redocly` on PATH; .ci/specs.sh runs it.)
"""

import json
import subprocess
import sys
from pathlib import Path

import yaml


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def locate(doc, pointer):
    """The container holding the value at `pointer`, and its key there."""
    *parents, last = [unescape(t) for t in pointer.split("/")[1:]]
    for token in parents:
        doc = doc[int(token)] if isinstance(doc, list) else doc[token]
    return doc, int(last) if isinstance(doc, list) else last


def apply(doc, edit):
    if "remove" in edit:
        container, key = locate(doc, edit["remove"])
        del container[key]
    else:
        container, key = locate(doc, edit["set"])
        container[key] = edit["value"]


def main(root, cases_file, scratch):
    root, scratch = Path(root), Path(scratch)
    config = yaml.safe_load((root / "redocly.yaml").read_text())
    cases = yaml.safe_load(Path(cases_file).read_text())["cases"]
    apis = {}
    (scratch / "specs").mkdir(parents=True, exist_ok=True)
    for i, case in enumerate(cases):
        name = f"case-{i:02}"
        doc = yaml.safe_load((root / "specs" / f"{case['spec']}.yaml").read_text())
        for edit in case["edits"]:
            apply(doc, edit)
        (scratch / "specs" / f"{name}.yaml").write_text(json.dumps(doc, indent=1))
        # The spec's own exceptions in redocly.yaml apply to its copies too.
        own = config["apis"][case["spec"]].get("rules", {})
        apis[name] = {"root": f"specs/{name}.yaml", "rules": own}
    config["apis"] = apis
    (scratch / "redocly.yaml").write_text(json.dumps(config, indent=1))
    out = subprocess.run(
        ["redocly", "lint", "--config", "redocly.yaml", "--format", "json"],
        cwd=scratch, capture_output=True, text=True,
    )
    found = {name: set() for name in apis}
    decoder, text, at = json.JSONDecoder(), out.stdout.strip(), 0
    while at < len(text):
        result, at = decoder.raw_decode(text, at)
        while at < len(text) and text[at].isspace():
            at += 1
        for problem in result["problems"]:
            location = problem["location"][0]
            name = Path(location["source"]["ref"]).stem
            found[name].add((problem["ruleId"], location.get("pointer", "").lstrip("#")))
    failures = 0
    for i, case in enumerate(cases):
        name = f"case-{i:02}"
        missing = [e for e in map(tuple, case["expect"]) if e not in found[name]]
        status = "ok" if not missing else "MISSING " + ", ".join(f"{r} at {p}" for r, p in missing)
        print(f"{case['name']}: {status}")
        if missing:
            print("  reported:", *sorted(f"{r} at {p}" for r, p in found[name]), sep="\n    ")
        failures += bool(missing)
    if failures:
        print(out.stderr, file=sys.stderr)
        sys.exit(f"redocly_cases.py: {failures} case(s) not reported as expected")


if __name__ == "__main__":
    main(*sys.argv[1:])
