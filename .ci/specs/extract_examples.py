"""Extracts each spec's list-response example for the cross-language checks.

Usage: extract_examples.py JSON_DIR TS_DIR specs/<key>.yaml...

For each spec, the example is the 200 response of its first `list*` operation (the
media type's `example`, else its first `examples.*.value`). It is written twice:
* JSON_DIR/<key>.json, which the TypeScript and Python scripts parse at run time;
* TS_DIR/<key>.example.ts, the same value as an object literal that must `satisfies` the
  response type openapi-typescript generated (so tsc checks the example field by field,
  enum values and misspelt members included).
"""

import json
import pathlib
import sys

import yaml


def resolve(spec, node):
    """Follows local `$ref`s."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            sys.exit(f"only local $refs are supported, found {ref}")
        node = spec
        for token in ref[2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def list_example(spec, name):
    """(path, method, media type, example) of the first `list*` operation's 200 response."""
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or not str(op.get("operationId", "")).startswith("list"):
                continue
            response = resolve(spec, op.get("responses", {}).get("200", {}))
            for media, body in response.get("content", {}).items():
                if "example" in body:
                    return path, method, media, body["example"]
                for entry in body.get("examples", {}).values():
                    return path, method, media, resolve(spec, entry)["value"]
    sys.exit(f"{name}: no list operation with a 200 response example")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    json_dir, ts_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    json_dir.mkdir(parents=True, exist_ok=True)
    ts_dir.mkdir(parents=True, exist_ok=True)
    for spec_path in map(pathlib.Path, sys.argv[3:]):
        key = spec_path.stem
        with spec_path.open(encoding="utf-8") as f:
            spec = yaml.safe_load(f)
        path, method, media, example = list_example(spec, spec_path.name)
        (json_dir / f"{key}.json").write_text(json.dumps(example, indent=2) + "\n", encoding="utf-8")
        response_type = (
            f'paths[{json.dumps(path)}]["{method}"]["responses"][200]["content"][{json.dumps(media)}]'
        )
        (ts_dir / f"{key}.example.ts").write_text(
            f"// Written by .ci/specs/extract_examples.py: the {method.upper()} {path} 200 example\n"
            f"// of specs/{key}.yaml, checked against the generated response type.\n"
            f'import type {{ paths }} from "./generated/{key}.js";\n\n'
            f"export const example = {json.dumps(example, indent=2)} satisfies {response_type};\n",
            encoding="utf-8",
        )
        print(f"{spec_path}: {method.upper()} {path} 200 {media} example -> {key}.json")


if __name__ == "__main__":
    main()
