#!/usr/bin/env bash
# Batch benchmark: `notecoder batch` (release build) over the mtsamples set (2,310 real notes,
# 7.7 MB) and over ten concatenated copies of it (ids made unique), with --jobs 1 and --jobs 2
# (or the jobs listed in BENCH_JOBS), printing notes/s, MB/s and peak memory for each run.
#
#   scripts/bench.sh                 what `make bench` runs
#   SHARED=/path/to/shared scripts/bench.sh
#   BENCH_JOBS="1 2 4" BENCH_COPIES=10 BENCH_RUNS=5 scripts/bench.sh
#
# Figures: "run MB/s" is input bytes over the batch's own time (reading, coding and writing
# every note; the summary's figure); "wall" also counts process start and lexicon loading.
# "CPU s" is user + system time, and "MB/CPU-s" the input over it: the per-core rate, which
# other work on a shared machine does not lower as it lowers wall-clock rates.
# Peak memory is the maximum resident set size (/usr/bin/time -v, else polled from /proc).
# Each configuration runs BENCH_RUNS times (default 5) and the median run is shown.
# Targets (issue 4): >= 20 MB/s per core, >= 1.7x from 1 to 2 jobs, < 300 MB peak on ten copies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SHARED=${SHARED:-../shared}
DATA="$SHARED/data/mtsamples/mtsamples.jsonl"
SCRATCH=${NOTECODER_SCRATCH:-.build}
JOBS=${BENCH_JOBS:-"1 2"}
COPIES=${BENCH_COPIES:-10}
RUNS=${BENCH_RUNS:-5}
export PATH="$PATH:/opt/swift/usr/bin"

if [ ! -f "$DATA" ]; then
    echo "bench: $DATA not found: nothing to benchmark (set SHARED to the folder holding data/mtsamples)"
    exit 0
fi

echo "bench: building release ($SCRATCH)"
swift build -c release --scratch-path "$SCRATCH" --product notecoder 2>&1 | tail -1
BIN="$SCRATCH/release/notecoder"

work=$(mktemp -d "${TMPDIR:-/tmp}/notecoder-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Ten copies, each id prefixed with its copy number so every id stays unique.
big="$work/mtsamples-x$COPIES.jsonl"
python3 - "$DATA" "$big" "$COPIES" <<'PY'
import json, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, encoding="utf-8").read().splitlines()
with open(dst, "w", encoding="utf-8") as out:
    for c in range(copies):
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            record["id"] = f"c{c}-{record['id']}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
PY

# Peak RSS in kB of a command: /usr/bin/time -v when present, else VmHWM polled from /proc.
run_measured() {
    local rss_file=$1; shift
    if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
        /usr/bin/time -v -o "$work/time.txt" "$@"
        local status=$?
        awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt" > "$rss_file"
        awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$work/time.txt" > "$work/cpu"
        return $status
    fi
    echo "" > "$work/cpu"
    "$@" & local pid=$! peak=0
    while kill -0 "$pid" 2>/dev/null; do
        local hwm
        hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
        sleep 0.05
    done
    wait "$pid"; local status=$?
    echo "$peak" > "$rss_file"
    return $status
}

printf '\nbench: %s cores, %s\n' "$(nproc)" "$(uname -sm)"
printf '%-22s %4s %6s %7s %8s %8s %7s %8s %6s %8s %8s\n' input jobs notes "run s" "notes/s" "run MB/s" "wall s" "MB/s/job" "CPU s" "MB/CPU-s" "peak MB"
declare -A rate
for input in "$DATA" "$big"; do
    size=$(stat -c %s "$input")
    for jobs in $JOBS; do
        # Each configuration runs BENCH_RUNS times; the run of median batch time is shown (with
        # the largest peak memory of all runs), as single runs on a shared machine vary.
        : > "$work/runs"
        for run in $(seq "$RUNS"); do
            start=$(date +%s.%N)
            status=0
            run_measured "$work/rss" "$BIN" batch "$input" --out "$work/out.jsonl" --jobs "$jobs" --quiet \
                --summary "$work/summary.json" || status=$?
            end=$(date +%s.%N)
            if [ "$status" -gt 1 ]; then echo "bench: notecoder batch failed (exit $status)"; exit "$status"; fi
            python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["seconds"], s["coded"] + s["failed"], *sys.argv[2:])' \
                "$work/summary.json" "$start" "$end" "$(cat "$work/rss")" "$(cat "$work/cpu")" >> "$work/runs"
        done
        python3 - "$work/runs" "$(basename "$input")" "$jobs" "$size" > "$work/line" <<'PY'
import sys
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
name, jobs, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
runs.sort(key=lambda r: float(r[0]))
seconds, notes, start, end, _, *cpu = runs[(len(runs) - 1) // 2]
seconds, notes, start, end = float(seconds), int(notes), float(start), float(end)
rss = max(int(r[4] or 0) for r in runs)
cpu = float(cpu[0]) if cpu else None
mbps = size / 1e6 / seconds
cpu_s = f"{cpu:>6.2f} {size / 1e6 / cpu:>8.2f}" if cpu else f"{'-':>6} {'-':>8}"
print(f"{name:<22} {jobs:>4} {notes:>6} {seconds:>7.2f} {notes / seconds:>8.1f} {mbps:>8.2f} {end - start:>7.2f} {mbps / jobs:>8.2f} {cpu_s} {rss / 1024:>8.1f}")
print(f"RATE {mbps}")
PY
        grep -v '^RATE' "$work/line"
        rate["$input/$jobs"]=$(awk '/^RATE/ {print $2}' "$work/line")
    done
done

set -- $JOBS
if [ $# -ge 2 ]; then
    for input in "$DATA" "$big"; do
        python3 -c "import sys; print(f'bench: {sys.argv[1]}: {sys.argv[3]} jobs / {sys.argv[2]} job = {float(sys.argv[5]) / float(sys.argv[4]):.2f}x')" \
            "$(basename "$input")" "$1" "$2" "${rate[$input/$1]}" "${rate[$input/$2]}"
    done
fi
echo "bench: load average now $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine lowers these figures)"
