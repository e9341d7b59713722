"""Proves with tsc that every response enum of the specs is open in TypeScript.

Usage: enum_switches.py TS_DIR specs/<key>.yaml...
(`tsc` on PATH; TS_DIR holds tsconfig.json, node_modules and generated/<key>.ts, the
openapi-typescript output, as .ci/specs.sh lays it out.)

A response enum is an enumeration reached from a response body of an operation (through
`$ref`s, properties, array items, `additionalProperties` and `allOf`/`anyOf`/`oneOf`
branches). It is open when it is written `anyOf` (or `oneOf`) of a branch with the
listed values (inline or a `$ref`) and a branch of the same scalar type without `enum`,
e.g. `anyOf: [{type: string, enum: [...]}, {type: string}]`; it is closed when it is
`enum` alone. For each one, TS_DIR/switches/<key>.ts gets two functions with a `switch`
over the listed values, on the type openapi-typescript generated for that place:
* one whose `default:` branch assigns the value to `never`. It must fail with TS2322 on
  that line, "Type 'string' is not assignable to type 'never'" (or 'number'): the type
  admits strings beyond the listed ones. A closed enum compiles there
  (the listed values exhaust the union), which fails the check;
* one whose `default:` branch handles any other value. It must compile.
Both are compiled in one tsc run; any error other than the expected TS2322s fails too.
Exits 1 when an enum is closed or tsc reports an unexpected error.
"""

import json
import pathlib
import re
import subprocess
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCALARS = ("string", "integer", "number")
DIAGNOSTIC = re.compile(r"^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$")
# What tsc says of the `never` line when the type is open: the listed literals and the
# free branch collapse into the plain scalar. `any` or `unknown` there is no open enum.
OPEN = re.compile(r"Type '(string|number)' is not assignable to type 'never'\.")


def resolve(spec, ref):
    if not ref.startswith("#/"):
        sys.exit(f"enum_switches.py: only local $refs are supported, found {ref}")
    node = spec
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def deref(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(spec, node["$ref"])
    return node


def enum_form(spec, node):
    """(how the spec writes it, values) when the schema is an enumeration, else None."""
    if "enum" in node:
        return "`enum`", node["enum"]
    for key in ("anyOf", "oneOf"):
        branches = [deref(spec, branch) for branch in node.get(key, [])]
        listed = [branch for branch in branches if "enum" in branch]
        if not listed:
            continue
        values = [value for branch in listed for value in branch["enum"]]
        types = {branch.get("type") for branch in listed}
        free = [b for b in branches if "enum" not in b and b.get("type") in SCALARS and b.get("type") in types]
        if len(listed) + len(free) == len(branches):
            return (f"`{key}` with a free {free[0]['type']}" if free else f"`{key}` of enums"), values
    return None


class Walker:
    """Collects the response enums of one spec: {pointer: (name, TypeScript type, form, values)}."""

    def __init__(self, spec):
        self.spec, self.sites, self.seen = spec, {}, set()

    def responses(self):
        for path, item in self.spec.get("paths", {}).items():
            for method in METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                for status, response in operation.get("responses", {}).items():
                    response = deref(self.spec, response)
                    key = status if not str(status).isdigit() else int(status)
                    for media, body in response.get("content", {}).items():
                        if "schema" in body:
                            expr = (
                                f'paths[{json.dumps(path)}][{json.dumps(method)}]["responses"]'
                                f'[{json.dumps(key)}]["content"][{json.dumps(media)}]'
                            )
                            name = f"{method.upper()} {path} {status} {media}"
                            self.walk(body["schema"], "", expr, name)
        return self.sites

    def walk(self, node, pointer, expr, name):
        if "$ref" in node:
            ref = node["$ref"]
            match = re.fullmatch(r"#/components/schemas/([^/]+)", ref)
            if not match:
                sys.exit(f"enum_switches.py: cannot name the TypeScript type of {ref}")
            component = match.group(1)
            target = resolve(self.spec, ref)
            expr, pointer = f'components["schemas"][{json.dumps(component)}]', ref[1:]
            name = f"{name} ({component})" if enum_form(self.spec, target) and name else component
            if pointer in self.seen:
                return
            self.seen.add(pointer)
            node = target
        form = enum_form(self.spec, node)
        if form:
            self.sites.setdefault(pointer or name, (name, expr, *form))
            return
        for prop, sub in node.get("properties", {}).items():
            self.walk(sub, f"{pointer}/properties/{prop}", f"NonNullable<{expr}>[{json.dumps(prop)}]", f"{name}.{prop}")
        if isinstance(node.get("items"), dict):
            self.walk(node["items"], f"{pointer}/items", f"NonNullable<{expr}>[number]", f"{name}[]")
        if isinstance(node.get("additionalProperties"), dict):
            self.walk(
                node["additionalProperties"],
                f"{pointer}/additionalProperties",
                f"NonNullable<{expr}>[string]",
                f"{name}{{}}",
            )
        for i, branch in enumerate(node.get("allOf", [])):
            self.walk(branch, f"{pointer}/allOf/{i}", expr, name)
        for key in ("anyOf", "oneOf"):
            for i, branch in enumerate(node.get(key, [])):
                where = f"{pointer}/{key}/{i}"
                if "$ref" in branch:
                    self.walk(branch, where, expr, name)
                elif branch.get("type") == "array":
                    self.walk(branch, where, f"Extract<NonNullable<{expr}>, readonly unknown[]>", name)
                elif any(
                    k in branch for k in ("properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf")
                ):
                    sys.exit(
                        f"enum_switches.py: cannot name the TypeScript type of the inline branch {where} of {name}"
                    )


def switches(key, sites):
    """The TypeScript of both switches for each enum, and {line of each `never`: pointer}."""
    used = [name for name in ("components", "paths") if any(f"{name}[" in expr for _, expr, *_ in sites.values())]
    lines = [
        f"// Written by .ci/specs/enum_switches.py from specs/{key}.yaml: two exhaustive switches",
        "// over each response enum. The `never` default must fail to compile; the other must compile.",
        f'import type {{ {", ".join(used)} }} from "../generated/{key}.js";',
        "",
    ]
    nevers = {}
    for n, (pointer, (name, expr, _form, values)) in enumerate(sites.items()):
        cases = [f"    case {json.dumps(value)}:" for value in values if value is not None]
        lines += [
            f"// {name}: {', '.join(map(str, values))}",
            f"type Enum{n} = NonNullable<{expr}>;",
            f"export function neverDefault{n}(value: Enum{n}): string {{",
            "  switch (value) {",
            *cases,
            "      return String(value);",
            "    default: {",
        ]
        nevers[len(lines) + 1] = pointer
        lines += [
            "      const unlisted: never = value;",
            "      return unlisted;",
            "    }",
            "  }",
            "}",
            f"export function openDefault{n}(value: Enum{n}): string {{",
            "  switch (value) {",
            *cases,
            "      return String(value);",
            "    default:",
            "      return `unlisted: ${String(value)}`;",
            "  }",
            "}",
            "",
        ]
    return "\n".join(lines), nevers


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ts_dir = pathlib.Path(sys.argv[1]).resolve()
    out = ts_dir / "switches"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tsconfig.json").write_text(
        json.dumps(
            {
                "extends": "../tsconfig.json",
                "compilerOptions": {"noEmit": True, "rootDir": ".."},
                "include": ["*.ts"],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    everything, expected = {}, {}
    for spec_path in map(pathlib.Path, sys.argv[2:]):
        key = spec_path.stem
        with spec_path.open(encoding="utf-8") as f:
            sites = Walker(yaml.safe_load(f)).responses()
        everything[key] = sites
        if not sites:
            continue
        text, nevers = switches(key, sites)
        (out / f"{key}.ts").write_text(text, encoding="utf-8")
        for line, pointer in nevers.items():
            expected[(f"{key}.ts", line)] = (key, pointer)

    result = subprocess.run(
        ["tsc", "--project", str(out / "tsconfig.json"), "--pretty", "false"], capture_output=True, text=True, cwd=out
    )
    found, unexpected = {}, []  # found: {(file, line) of a `never`: [diagnostics there]}
    for line in (result.stdout + result.stderr).splitlines():
        match = DIAGNOSTIC.match(line)
        if not match:
            if line.startswith(" ") and unexpected:
                unexpected[-1] += "\n" + line
            elif line.strip():
                unexpected.append(line)
            continue
        where = (pathlib.Path(match.group(1)).name, int(match.group(2)))
        if where in expected:
            found.setdefault(where, []).append((match.group(4), match.group(5)))
        else:
            unexpected.append(line)

    closed, wrong = [], []
    for key, sites in everything.items():
        if not sites:
            print(f"{key}: no response enums")
        for where, (site_key, pointer) in expected.items():
            if site_key != key:
                continue
            name, _, form, values = sites[pointer]
            about = f"{key}: {name} [{', '.join(map(str, values))}]"
            errors = found.get(where, [])
            if len(errors) == 1 and errors[0][0] == "TS2322" and OPEN.fullmatch(errors[0][1]):
                print(f"{about}: open (spec: {form}): TS2322 {errors[0][1]}")
            elif not errors:
                closed.append(f"{key} {name}")
                print(
                    f"{about}: CLOSED (spec: {form}): the `never` default compiles, the type is the listed values only"
                )
            else:
                wrong.append(f"{key} {name}")
                print(
                    f"{about}: FAILED (spec: {form}): not the expected error on the `never` line: "
                    + "; ".join(f"{code} {message}" for code, message in errors)
                )
    if unexpected:
        print("\nunexpected tsc output (switches/*.ts):\n" + "\n".join(unexpected))
    if closed or wrong or unexpected:
        problems = [f"{len(closed)} of {len(expected)} response enums are closed"]
        if wrong:
            problems.append(f"{len(wrong)} fail `never` with another error")
        if unexpected:
            problems.append(f"tsc reported {len(unexpected)} other error(s)")
        print(f"\nenum_switches.py: {', '.join(problems)}", file=sys.stderr)
        sys.exit(1)
    print(f"\nall {len(expected)} response enums are open")


if __name__ == "__main__":
    main()
