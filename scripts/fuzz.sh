#!/usr/bin/env bash
# libFuzzer on NoteCoder's parsers (issue 12): the engine on arbitrary bytes as a note
# (FuzzNote), the batch readers on arbitrary export files (FuzzRecords: JSON Lines, FHIR, CSV,
# HL7 v2, C-CDA), and the lexicon loader on mutated lexicon files (FuzzLexicon). The targets live
# in their own package (Fuzz/), built with -sanitize=fuzzer,address in .build-fuzz.
#
#   scripts/fuzz.sh                  # each target for FUZZ_SECONDS (default 60)
#   FUZZ_SECONDS=600 scripts/fuzz.sh FuzzNote
#
# Seeds come from the repository (Corpus notes, interop fixtures, the lexicons); the corpora
# grow under .build-fuzz/corpus. A crash, a trap, a leak of time past -timeout or an ASan
# report is written to fuzz-artifacts/ and makes the script exit 1: turn it into a regression
# test before fixing it. Prints, per target, the executions, the coverage reached and the
# findings.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${FUZZ_SECONDS:-60}
SCRATCH=.build-fuzz
TARGETS=("${@:-FuzzNote FuzzRecords FuzzLexicon}")
read -r -a TARGETS <<< "${TARGETS[*]}"
say() { printf 'fuzz: %s\n' "$*" >&2; }

command -v swift >/dev/null 2>&1 || export PATH=/opt/swift/usr/bin:$PATH
# lld, not the default gold: gold stops with an internal error on these sanitized objects.
FLAGS=(-c release --package-path Fuzz --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer,address
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
say "building ${TARGETS[*]} with -sanitize=fuzzer,address in $SCRATCH"
swift build "${FLAGS[@]}" >&2
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)

# Seeds: one folder per target. FuzzRecords and FuzzLexicon read a selector byte first.
SEEDS=$SCRATCH/seeds
rm -rf "$SEEDS" && mkdir -p "$SEEDS"/{FuzzNote,FuzzRecords,FuzzLexicon}
cp Corpus/notes/*.txt "$SEEDS/FuzzNote/"
python3 - "$ROOT" "$SEEDS" <<'PY'
import json, os, sys
root, seeds = sys.argv[1], sys.argv[2]
# FuzzRecords: selector byte = index in [auto, jsonl, fhir, csv, hl7, ccda].
notes = sorted(os.listdir(f"{root}/Corpus/notes"))[:6]
def note(n): return open(f"{root}/Corpus/notes/{n}", encoding="utf-8").read()
jsonl = "".join(json.dumps({"id": n[:-4], "text": note(n)}) + "\n" for n in notes)
csv = "id,text\n" + "".join('%s,"%s"\n' % (n[:-4], note(n).replace('"', '""')) for n in notes[:3])
out = {"jsonl": (1, jsonl), "csv": (3, csv)}
interop = f"{root}/Tests/NoteCoderTests/Fixtures/interop"
for name, selector in [("mdm-t02.hl7", 4), ("oru-r01.hl7", 4), ("ccda-progress-note.xml", 5), ("bundle-searchset.json", 0)]:
    out[name] = (selector, open(f"{interop}/{name}", encoding="utf-8").read())
bulk = f"{interop}/bulk-export/DocumentReference.ndjson"
if os.path.exists(bulk):
    out["docref"] = (2, open(bulk, encoding="utf-8").read())
for name, (selector, text) in out.items():
    with open(f"{seeds}/FuzzRecords/{name}", "wb") as f:
        f.write(bytes([selector]) + text.encode())
# FuzzLexicon: selector byte = index of the file among the lexicon YAML files, sorted by path.
lex = f"{root}/Lexicons"
files = sorted(os.path.relpath(os.path.join(d, f), lex) for d, _, fs in os.walk(lex) for f in fs if f.endswith(".yaml"))
for i, rel in enumerate(files):
    with open(f"{lex}/{rel}", "rb") as src, open(f"{seeds}/FuzzLexicon/{i:03d}", "wb") as f:
        f.write(bytes([i]) + src.read())
PY

export NOTECODER_LEXICONS=$ROOT/Lexicons
# No symbolizer walk on a finding (it can stall for minutes); Swift globals are not leaks.
export ASAN_OPTIONS=symbolize=0:detect_leaks=0:abort_on_error=0
# Swift's own crash backtracer reads memory ASan guards and hides the real fault behind its own.
export SWIFT_BACKTRACE=enable=no
mkdir -p fuzz-artifacts
status=0
printf '%-12s %10s %8s %8s  %s\n' target executions cov features findings
for target in "${TARGETS[@]}"; do
    case $target in
        FuzzLexicon) maxlen=400000 ;;
        *) maxlen=65536 ;;
    esac
    corpus=$SCRATCH/corpus/$target
    mkdir -p "$corpus"
    log=$SCRATCH/$target.log
    # The outer timeout is a guard for the guard: libFuzzer stops itself at -max_total_time.
    set +e
    timeout -s KILL $((SECONDS_EACH + 300)) "$BIN/$target" "$corpus" "$SEEDS/$target" \
        -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=6144 -max_len=$maxlen \
        -print_final_stats=1 -artifact_prefix="fuzz-artifacts/$target-" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    found=$(ls fuzz-artifacts/ 2>/dev/null | grep -c "^$target-" || true)
    printf '%-12s %10s %8s %8s  %s\n' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$found"
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
        say "$target: exit $rc, $found finding(s) in fuzz-artifacts/; the log is $log"
        tail -30 "$log" | grep -v '^#' >&2 || true
        status=1
    fi
done
exit $status
