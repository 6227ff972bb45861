#!/usr/bin/env bash
# `make spark-test`: the Spark job (spark/notecoder_job.py) on local[2] over the real notes of
# Corpus/ plus bad records, checked against `notecoder batch --errors inline` on the same input,
# with one task killed on purpose and retried. Installs what it needs when missing (Java 17 and a
# virtual environment with pinned pyspark: scripts/spark-setup.sh) and builds the release binary.
#
#   scripts/spark-test.sh
#   KEEP=1 scripts/spark-test.sh      keep the work folder (inputs, outputs, spark-submit.log)
#
# Exit status: 0 every check passed; 1 a check failed; 2 setup failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'spark-test: %s\n' "$*" >&2; }
command -v swift >/dev/null 2>&1 || export PATH="$PATH:/opt/swift/usr/bin"
SCRATCH=${NOTECODER_SCRATCH:-.build}
started=$(date +%s)

python=$(scripts/spark-setup.sh) || exit 2
scripts/setup.sh --deps >&2 || exit 2
say "building notecoder (release, $SCRATCH/)"
# shellcheck disable=SC2086
swift build -c release --scratch-path "$SCRATCH" --product notecoder ${SWIFT_BUILD_FLAGS:-} >&2 || exit 2
binary="$SCRATCH/release/notecoder"

work=$(mktemp -d "${TMPDIR:-/tmp}/notecoder-spark-test.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else say "work folder: $work"; fi
# The test ships the binary just built in the archive layout of `make dist`.
archive=$(scripts/dist.sh --binary "$binary" --out "$work/notecoder-test.tar.gz" 2>/dev/null) || exit 2

status=0
PYSPARK_PYTHON="$python" "$python" spark/test_notecoder_job.py --binary "$binary" --archive "$archive" --work "$work" || status=$?
say "took $(( $(date +%s) - started )) s"
exit "$status"
