#!/usr/bin/env bash
# make fhir-test: code every annotated note of the repository as FHIR R4 bundles
# (notecoder batch --format fhir) and validate each against the FHIR models of fhir.resources
# (pinned in scripts/fhir-requirements.txt, installed in .venv-fhir/ or $FHIR_VENV when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${FHIR_VENV:-.venv-fhir}
say() { echo "fhir-test: $*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
    if ! python3 -m venv "$VENV" >&2; then
        say "python3 -m venv failed; installing python3-venv"
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq python3-venv >&2
        python3 -m venv "$VENV" >&2
    fi
fi
if ! "$VENV/bin/python" -c 'import fhir.resources.R4B.bundle' 2>/dev/null; then
    say "installing scripts/fhir-requirements.txt into $VENV"
    "$VENV/bin/pip" install -q -r scripts/fhir-requirements.txt >&2
fi

command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
scripts/setup.sh >&2
BIN="$(swift build -c release --scratch-path "${NOTECODER_SCRATCH:-.build}" --show-bin-path)/notecoder"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
n=0
for set in Corpus Corpus/real/dev Corpus/real/validation Corpus/synthetic/dev Corpus/synthetic/validation; do
    n=$((n + 1))
    "$BIN" batch "$set/notes" --format fhir --out "$OUT/$n.ndjson" --no-queries 2>"$OUT/$n.log" \
        || { cat "$OUT/$n.log" >&2; exit 1; }
done
"$VENV/bin/python" scripts/fhir_validate.py "$OUT"/*.ndjson
