#!/usr/bin/env python3
"""What CI can check of the workspace's `rust-version` claim without that toolchain.

No Rust older than the one CI builds with can be installed here (see README, "Minimum
supported Rust"), so this checks what can be checked from metadata:

1. every workspace member declares the same `rust-version` (the claim);
2. every package in Cargo.lock's resolve (normal, build and dev dependencies, all
   platforms) that declares a `rust-version` declares one no newer than the claim, so
   cargo at the claimed version would not refuse the locked dependency graph;
3. packages that declare none are listed, because nothing vouches for them.

Clippy's `incompatible_msrv` lint (run separately in .ci/run) covers std APIs newer than
the claim in our own code. Language features newer than the claim are not checked.
"""
import json
import subprocess
import sys


def version(v):
    parts = [int(p) for p in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(meta["workspace_members"])
    packages = {p["id"]: p for p in meta["packages"]}
    claims = {packages[m]["name"]: packages[m].get("rust_version") for m in members}
    distinct = set(claims.values())
    if len(distinct) != 1 or None in distinct:
        print(f"msrv: workspace members disagree on rust-version: {claims}")
        return 1
    claim = distinct.pop()

    resolved = {node["id"] for node in meta["resolve"]["nodes"]} - members
    too_new, undeclared = [], []
    for pid in sorted(resolved, key=lambda i: (packages[i]["name"], packages[i]["version"])):
        p = packages[pid]
        rv = p.get("rust_version")
        if rv is None:
            undeclared.append(f"{p['name']} {p['version']}")
        elif version(rv) > version(claim):
            too_new.append(f"{p['name']} {p['version']} requires Rust {rv}")

    print(f"msrv: claim rust-version = {claim}; {len(resolved)} locked dependencies")
    print(
        f"msrv: {len(resolved) - len(undeclared)} declare a rust-version, the newest "
        f"{max((packages[i].get('rust_version') or '0' for i in resolved), key=version)}"
    )
    print(f"msrv: {len(undeclared)} declare none (not checked): {', '.join(undeclared)}")
    if too_new:
        print(f"msrv: {len(too_new)} locked dependencies need a newer Rust than {claim}:")
        for line in too_new:
            print(f"  {line}")
        print(
            "msrv: run `cargo update -p NAME` (resolver 3 picks the newest version that "
            "fits), or raise rust-version in Cargo.toml and the README"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
