#!/usr/bin/env bash
# `make spark-bench`: the Spark job on local[2] against `notecoder batch --jobs 2`, on ten copies
# of $SHARED/data/mtsamples/mtsamples.jsonl (skipped when the data is absent). Installs what it
# needs like `make spark-test` (scripts/spark-setup.sh) and builds the release binary.
#
#   scripts/spark-bench.sh
#   SHARED=/path/to/shared BENCH_RUNS=7 BENCH_COPIES=10 scripts/spark-bench.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SHARED=${SHARED:-../shared}
DATA="$SHARED/data/mtsamples/mtsamples.jsonl"
SCRATCH=${NOTECODER_SCRATCH:-.build}
command -v swift >/dev/null 2>&1 || export PATH="$PATH:/opt/swift/usr/bin"

if [ ! -f "$DATA" ]; then
    echo "spark-bench: $DATA not found: nothing to benchmark (set SHARED to the folder holding data/mtsamples)"
    exit 0
fi
python=$(scripts/spark-setup.sh)
echo "spark-bench: building release ($SCRATCH)"
# shellcheck disable=SC2086
swift build -c release --scratch-path "$SCRATCH" --product notecoder ${SWIFT_BUILD_FLAGS:-} 2>&1 | tail -1
work=$(mktemp -d "${TMPDIR:-/tmp}/notecoder-spark-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
PYSPARK_PYTHON="$python" "$python" spark/bench_notecoder_job.py --binary "$SCRATCH/release/notecoder" --data "$DATA" \
    --work "$work" --runs "${BENCH_RUNS:-5}" --copies "${BENCH_COPIES:-10}"
