#!/usr/bin/env bash
# Benchmarks, release build. First the scaling table: time per MB of text that is hard to read
# in one piece (issue 12) - one procedure phrase repeated 1k, 4k, 16k and 64k times on one line,
# a "word storm" of denial, history and condition words with no sentence end (5 KB to 512 KB),
# and a real note (Examples/sample-note.txt) repeated into one note of 64 KB, 512 KB and 4 MB.
# Each row is a batch of copies
# of its note, about 3 MB in all, so that every row codes the same amount of text; the cost of
# a note is linear in its size when the time per MB stays flat as the note grows (target:
# within 2x from the fastest row of a series to its slowest).
#
# Then the batch benchmark: `notecoder batch` over the mtsamples set (2,310 real notes,
# 7.7 MB) and over ten concatenated copies of it (ids made unique), with --jobs 1 and --jobs 2
# (or the jobs listed in BENCH_JOBS), printing notes/s, MB/s and peak memory for each run.
#
#   scripts/bench.sh                 what `make bench` runs
#   SHARED=/path/to/shared scripts/bench.sh
#   BENCH_JOBS="1 2 4" BENCH_COPIES=10 BENCH_RUNS=5 scripts/bench.sh
#   BENCH_SCALING_RUNS=3 BENCH_ONLY=scaling scripts/bench.sh   (only the scaling table)
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

echo "bench: building release ($SCRATCH)"
swift build -c release --scratch-path "$SCRATCH" --product notecoder 2>&1 | tail -1
BIN="$SCRATCH/release/notecoder"

work=$(mktemp -d "${TMPDIR:-/tmp}/notecoder-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Scaling: time per MB down a table of ever longer hard notes -----------------------------
SCALING_RUNS=${BENCH_SCALING_RUNS:-3}
python3 - "$work/scaling" Examples/sample-note.txt <<'PY'
import json, os, sys
folder, sample = sys.argv[1], sys.argv[2]
os.makedirs(folder, exist_ok=True)
phrase = "Right knee injection under ultrasound guidance "
storm = "history without osteoarthritis pain denies no pain of knee "
note = open(sample, encoding="utf-8").read()
total = 3_000_000
def cut(unit, size): return (unit * (size // len(unit) + 1))[:size]
rows = [(f"phrase x{n // 1000}k", phrase * n) for n in (1000, 4000, 16000, 64000)]
rows += [(f"word storm {size // 1000} KB", cut(storm, size)) for size in (5_000, 32_000, 128_000, 512_000)]
rows += [(f"real note to {label}", cut(note, size)) for label, size in (("64 KB", 64_000), ("512 KB", 512_000), ("4 MB", 4_000_000))]
with open(os.path.join(folder, "rows"), "w") as index:
    for number, (name, text) in enumerate(rows):
        size = len(text.encode())
        copies = max(1, round(total / size))
        path = os.path.join(folder, f"{number}.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            for copy in range(copies):
                out.write(json.dumps({"id": f"row{number}-{copy}", "text": text}) + "\n")
        index.write(f"{path}\t{name}\t{size}\t{copies}\n")
PY
printf '\nbench: scaling (batch --jobs 1, median of %s runs; each row about 3 MB of copies of its note)\n' "$SCALING_RUNS"
printf '%-22s %10s %7s %8s %8s\n' note "note bytes" copies "run s" "s/MB"
: > "$work/scaling/rates"
while IFS=$'\t' read -r path name size copies; do
    : > "$work/scaling/runs"
    for run in $(seq "$SCALING_RUNS"); do
        status=0
        "$BIN" batch "$path" --out "$work/scaling/out.jsonl" --jobs 1 --quiet --max-note-seconds 600 \
            --summary "$work/scaling/summary.json" || status=$?
        if [ "$status" -ne 0 ]; then echo "bench: notecoder batch failed on '$name' (exit $status)"; exit "$status"; fi
        python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["seconds"], s["inputBytes"])' \
            "$work/scaling/summary.json" >> "$work/scaling/runs"
    done
    python3 - "$work/scaling/runs" "$name" "$size" "$copies" >> "$work/scaling/rates" <<'PY'
import sys
runs = sorted((float(s), int(b)) for s, b in (line.split() for line in open(sys.argv[1]) if line.strip()))
seconds, size = runs[(len(runs) - 1) // 2]
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{sys.argv[4]}\t{seconds}\t{seconds / (size / 1e6)}")
PY
    tail -1 "$work/scaling/rates" | awk -F'\t' '{printf "%-22s %10d %7d %8.2f %8.3f\n", $1, $2, $3, $4, $5}'
done < "$work/scaling/rows"
python3 - "$work/scaling/rates" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
rates = {name: float(rate) for name, _, _, _, rate in rows}
def spread(names):
    values = [rates[n] for n in names]
    return max(values) / min(values)
# Linear means that a longer note of the same text costs no more per MB: each series is held
# to 2x. Different texts cost differently per MB (a word storm matches more cues per byte than
# a real note), so the spread of the whole table is shown but not held to.
flat = True
for series in ("phrase", "word storm", "real note"):
    names = [n for n in rates if n.startswith(series)]
    ratio = spread(names)
    flat = flat and ratio <= 2
    print(f"bench: {series}: slowest / fastest time per MB = {ratio:.2f}x ({'within 2x' if ratio <= 2 else 'NOT within 2x'})")
print(f"bench: whole table (different texts): slowest / fastest time per MB = {spread(list(rates)):.2f}x")
print("bench: time per MB stays flat as notes grow: " + ("yes, within 2x in every series" if flat else "NO"))
PY
if [ "${BENCH_ONLY:-}" = scaling ]; then exit 0; fi

# --- Batch throughput on real notes ----------------------------------------------------------
if [ ! -f "$DATA" ]; then
    echo "bench: $DATA not found: no batch benchmark (set SHARED to the folder holding data/mtsamples)"
    exit 0
fi

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
