#!/usr/bin/env bash
# Checks specs/*.yaml with third-party tools and proves that other languages can use them:
#   1. openapi-spec-validator: every spec is valid OpenAPI 3.0;
#   2. redocly lint with redocly.yaml: zero errors and zero warnings; then a broken copy of
#      a spec per case in .ci/specs/redocly-cases.yaml, each reporting its problems (the
#      project rules Redocly checks, see redocly.yaml);
#   3. TypeScript: openapi-typescript generates types for each spec (no warnings); tsc
#      --strict checks them, the list-response example of each spec against its response
#      type, and .ci/specs/ts/<key>.ts, which node then runs on that example;
#   4. Python: openapi-python-client generates a client for each spec (no warnings), pip
#      installs it, and `.ci/specs/py/clients.py example <key>` parses the example with its
#      models;
#   5. the generated clients work: .ci/specs/mock_providers.py serves each provider's list
#      endpoint on 127.0.0.1, paging as the provider does and sending enum values outside
#      the documented lists; `.ci/specs/py/clients.py list <key>` (the Python client) and
#      .ci/specs/ts/list-<key>.ts (openapi-fetch with the generated types) page through it
#      by hand, and .ci/specs/check_clients.py compares their counts with the mock's;
#   6. TypeScript exhaustive switches: .ci/specs/enum_switches.py writes a `switch` over
#      each response enum's listed values; tsc must reject its `default:` that assigns the
#      value to `never` (TS2322: the type is open) and accept one that handles other values.
#      Steps 5 and 6 both run before either failure stops the script.
#
# Tools come from PyPI and npm only, at the versions pinned in .ci/specs/ (package.json
# with its lock, requirements.txt). They are installed outside the repository in
# ${TMPDIR:-/tmp}/telnums-spec-tools-<hash of the pins and runtimes>, reused by later runs
# while the pins stay the same. Run from anywhere: `bash .ci/specs.sh` (KEEP_WORK=1 keeps
# the scratch folder with the generated TypeScript and Python for a look).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
pins=.ci/specs

step() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*"; }

# Runs a command and shows its output; fails when the command fails or warns.
no_warnings() {
    local log
    log=$(mktemp "$work/log.XXXXXX")
    if ! "$@" >"$log" 2>&1; then
        cat "$log"
        echo "specs.sh: failed: $*" >&2
        return 1
    fi
    cat "$log"
    if grep -qi 'warn' "$log"; then
        echo "specs.sh: warnings from: $*" >&2
        return 1
    fi
}

keys=()
for spec in specs/*.yaml; do
    key=$(basename "$spec" .yaml)
    for script in "$pins/ts/$key.ts" "$pins/ts/list-$key.ts"; do
        [[ -f $script ]] || { echo "specs.sh: $spec has no $script" >&2; exit 1; }
    done
    keys+=("$key")
done
# The Python side of every provider is a class in clients.py.
python3 "$pins/py/clients.py" known "${keys[@]}"

export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

step "tools (pinned in $pins/)"
hash=$(cat "$pins/package.json" "$pins/package-lock.json" "$pins/requirements.txt" \
    <(node --version) <(python3 --version) | sha256sum | cut -c1-16)
tools="${TMPDIR:-/tmp}/telnums-spec-tools-$hash"
# Another run may be installing the same tools right now: wait for it.
exec 9>"$tools.lock"
if command -v flock >/dev/null; then flock 9; fi
if [[ -f $tools/.complete ]]; then
    echo "reusing $tools"
else
    echo "installing into $tools"
    rm -rf "$tools"
    mkdir -p "$tools/node"
    cp "$pins/package.json" "$pins/package-lock.json" "$tools/node/"
    (cd "$tools/node" && npm ci --no-audit --no-fund --loglevel=error)
    python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install --quiet -r "$pins/requirements.txt"
    touch "$tools/.complete"
fi
exec 9>&-
export PATH="$tools/venv/bin:$tools/node/node_modules/.bin:$PATH"
echo "node $(node --version), npm $(npm --version), $(python --version)"
openapi-spec-validator --version
echo "redocly $(redocly --version)"
echo "openapi-typescript $(openapi-typescript --version)"
echo "tsc $(tsc --version)"
openapi-python-client --version

work=$(mktemp -d "${TMPDIR:-/tmp}/telnums-specs.XXXXXX")
mock=
cleanup() {
    if [[ -n $mock ]]; then kill "$mock" 2>/dev/null || true; fi
    if [[ -n ${KEEP_WORK:-} ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step "openapi-spec-validator (OpenAPI 3.0)"
no_warnings openapi-spec-validator --schema 3.0 --validation-errors all specs/*.yaml

step "redocly lint (redocly.yaml)"
no_warnings redocly lint --config redocly.yaml

step "redocly lint reports each project rule's defect (.ci/specs/redocly-cases.yaml)"
python "$pins/redocly_cases.py" "$repo" "$pins/redocly-cases.yaml" "$work/redocly-cases"

step "list-response examples"
ts="$work/ts"
mkdir -p "$ts/generated"
python "$pins/extract_examples.py" "$work/examples" "$ts" specs/*.yaml

step "TypeScript: openapi-typescript, tsc --strict, node"
cp "$pins/ts/"*.ts "$pins/ts/tsconfig.json" "$ts/"
echo '{ "private": true, "type": "module" }' >"$ts/package.json"
ln -s "$tools/node/node_modules" "$ts/node_modules"
# All specs in one run, listed in a config of its own (in the repository root,
# openapi-typescript would follow redocly.yaml and write into target/openapi-ts/).
{
    echo "apis:"
    for key in "${keys[@]}"; do
        printf '  %s:\n    root: %s\n    x-openapi-ts:\n      output: %s\n' \
            "$key" "$repo/specs/$key.yaml" "$ts/generated/$key.ts"
    done
} >"$work/openapi-ts.yaml"
(cd "$work" && no_warnings openapi-typescript --redocly "$work/openapi-ts.yaml")
# One strict compile of the generated types, the examples (`satisfies` the response
# types) and the scripts; it emits JavaScript only when there is no error.
no_warnings tsc --project "$ts/tsconfig.json"
for key in "${keys[@]}"; do
    node "$ts/out/$key.js" "$work/examples/$key.json"
done

step "Python: openapi-python-client, pip install, from_dict"
py="$work/py"
mkdir -p "$py"
packages=()
pids=()
# The generators run side by side (each is a second of Python start-up and templating).
for key in "${keys[@]}"; do
    package="telnums_${key//-/_}_client"
    printf 'project_name_override: telnums-%s-client\npackage_name_override: %s\n' \
        "$key" "$package" >"$py/$key.yaml"
    (cd "$py" && no_warnings openapi-python-client generate --path "$repo/specs/$key.yaml" \
        --config "$py/$key.yaml" --meta setup --output-path "$py/$key") >"$py/$key.log" 2>&1 &
    pids+=($!)
    packages+=("$py/$key")
done
failed=0
for i in "${!keys[@]}"; do
    wait "${pids[$i]}" || failed=1
    cat "$py/${keys[$i]}.log"
done
[[ $failed == 0 ]] || { echo "specs.sh: openapi-python-client failed or warned" >&2; exit 1; }
pip install --quiet --no-deps --no-build-isolation --force-reinstall "${packages[@]}"
for key in "${keys[@]}"; do
    python "$pins/py/clients.py" example "$key" "$work/examples/$key.json"
done

step "generated clients list every page of a local mock of each provider (Python, TypeScript)"
failures=()
python "$pins/mock_providers.py" "$work/mock.json" 2>"$work/mock.log" &
mock=$!
# The mock writes its state file, with each provider's base URL, once it listens.
for _ in $(seq 100); do
    if [[ -f $work/mock.json ]] || ! kill -0 "$mock" 2>/dev/null; then break; fi
    sleep 0.1
done
[[ -f $work/mock.json ]] || { cat "$work/mock.log"; echo "specs.sh: mock_providers.py did not start" >&2; exit 1; }
# The Python programs import the clients generated by this run (PYTHONPATH comes before
# the shared venv, where another run may have installed its own since).
if ! PYTHONPATH=$(IFS=:; echo "${packages[*]}") \
    python "$pins/check_clients.py" "$work/mock.json" "$pins/py" "$ts/out" "${keys[@]}"; then
    printf '\nrequests the mock answered:\n'
    cat "$work/mock.log"
    failures+=("generated clients (check_clients.py)")
fi
kill "$mock"
wait "$mock" || true
mock=

step "TypeScript: an exhaustive switch over each response enum needs a default for other values"
python "$pins/enum_switches.py" "$ts" specs/*.yaml || failures+=("exhaustive switches (enum_switches.py)")
if ((${#failures[@]})); then
    printf 'specs.sh: failed: %s\n' "${failures[@]}" >&2
    exit 1
fi

step "specs OK: ${keys[*]}"
