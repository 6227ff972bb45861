#!/usr/bin/env python3
"""Checks of spark/notecoder_job.py on local Spark; what `make spark-test` runs (scripts/spark-test.sh).

    python spark/test_notecoder_job.py --binary .build/release/notecoder --archive dist.tar.gz --work DIR

The input is every real note of Corpus/ (Corpus/notes, Corpus/real/dev/notes,
Corpus/real/validation/notes) as JSON Lines, with bad records among them: broken JSON, invalid
UTF-8, a record without text, a duplicate id, blank lines. Partitions are made small so records
cross partition boundaries. The reference is `notecoder batch --errors inline` on the same file:
the job's output must be byte for byte the same. One run goes through spark-submit with the
shipped archive and a fault switch that kills notecoder in the middle of a partition after some
of its rows have reached Spark; Spark must retry that task and the output must still have every
record once. The others share one Spark session: Parquet output, Parquet, CSV and FHIR input,
empty input. Ends with "spark-test: N passed, N failed".
"""

import argparse
import base64
import csv
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import notecoder_job  # noqa: E402

MASTER = "local[2,4]"  # two cores; up to four attempts per task, so a killed task is retried
SPARK_CONF = {
    "spark.sql.files.maxPartitionBytes": str(192 << 10),  # several partitions from about 1 MB
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "2",
    "spark.ui.showConsoleProgress": "false",
}
CORPUS_FOLDERS = ["Corpus/notes", "Corpus/real/dev/notes", "Corpus/real/validation/notes"]
FAULT = "1:32"

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("ok   " if condition else "FAIL ") + name + ("" if condition or not detail else f": {detail}"), flush=True)
    return condition


def corpus_notes():
    notes = []
    for folder in CORPUS_FOLDERS:
        for path in sorted(glob.glob(os.path.join(ROOT, folder, "*.txt"))):
            with open(path, encoding="utf-8") as f:
                name = folder.replace("Corpus/", "").replace("/notes", "").replace("notes", "synthetic")
                notes.append({"id": f"{name}/{os.path.basename(path)[:-4]}", "text": f.read()})
    return notes


def write_inputs(work, notes):
    """The JSON Lines input with bad records, and Parquet, CSV and FHIR copies of the good notes."""
    lines = [json.dumps(n, ensure_ascii=False).encode() for n in notes]
    bad = [
        (5, b'{"id": "broken-json", "text": "SECRET never closed'),
        (40, b'{"id": "no-text", "dateOfService": "2024-03-01"}'),
        (77, b'{"id": "bad-utf8", "text": "SECRET low back pain \xff\xfe"}'),
        (78, b"   "),
        (120, b'["not", "an", "object"]'),
        (200, b""),
        (201, json.dumps(notes[3]).encode() + b"\r"),  # a duplicate id, CRLF-ended
    ]
    for position, line in bad:
        lines.insert(position, line)
    lines.append(b'{"text": "SECRET no id"}')
    jsonl = os.path.join(work, "notes.jsonl")
    with open(jsonl, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
    records = sum(1 for line in lines if line.strip())

    import pyarrow as pa
    import pyarrow.parquet as pq
    dated = [dict(n, dateOfService=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}") for i, n in enumerate(notes[:120])]
    dated.append({"id": "parquet-no-text", "text": None, "dateOfService": "2024-01-01"})
    pq.write_table(pa.table({k: [d[k] for d in dated] for k in ("id", "text", "dateOfService")}),
                   os.path.join(work, "notes.parquet"))
    with open(os.path.join(work, "notes-dated.jsonl"), "w", encoding="utf-8") as f:
        for d in dated:
            f.write(json.dumps({k: v for k, v in d.items() if v is not None}, ensure_ascii=False) + "\n")
    with open(os.path.join(work, "notes.csv"), "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["note_id", "body", "visit_date"])
        for d in dated[:80]:
            writer.writerow([d["id"], d["text"], d["dateOfService"]])
    with open(os.path.join(work, "notes.ndjson"), "w", encoding="utf-8") as f:
        for i, n in enumerate(notes[:60]):
            f.write(json.dumps({"resourceType": "DocumentReference", "id": n["id"].replace("/", "-"), "status": "current",
                                "context": {"period": {"start": f"2024-05-{1 + i % 28:02d}T09:00:00Z"}},
                                "content": [{"attachment": {"contentType": "text/plain; charset=utf-8",
                                                            "data": base64.b64encode(n["text"].encode()).decode()}}]}) + "\n")
        f.write('{"resourceType": "Patient", "id": "p1"}\n')
    return jsonl, records


def batch(binary, path, *extra):
    """The reference: `notecoder batch --errors inline` over the whole file, one process."""
    done = subprocess.run([binary, "batch", path, "--errors", "inline", "--quiet", "--no-queries", "--jobs", "2",
                           "--lexicons", os.path.join(ROOT, "Lexicons"), *extra], capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"spark-test: notecoder batch {path} failed ({done.returncode}): {done.stderr.decode()}")
    return done.stdout


def part_files(folder):
    return sorted(glob.glob(os.path.join(folder, "part-*")))


def text_output(folder):
    """The part files of a text output, in partition order: what one run of the binary would write."""
    out = b""
    for path in part_files(folder):
        with open(path, "rb") as f:
            out += f.read()
    return out


def check_lines(name, output, expected, records):
    lines = output.splitlines()
    check(f"{name}: one output row per input record", len(lines) == records, f"{len(lines)} rows, {records} records")
    numbers = [json.loads(line)["record"] for line in lines]
    check(f"{name}: every record once, in order (no duplicate, no gap)", numbers == list(range(1, records + 1)),
          f"first difference at row {next((i for i, n in enumerate(numbers) if n != i + 1), len(numbers))}")
    check(f"{name}: byte-identical to `notecoder batch --errors inline`", output == expected,
          f"{len(output)} bytes against {len(expected)}")
    check(f"{name}: no note text in error rows", b"SECRET" not in output)


def spark_submit_run(args, jsonl, expected, records):
    """spark-submit as on a cluster: the archive shipped with --archives, nothing else installed, and the
    fault switch killing notecoder in partition 1 after some of its rows have reached Spark."""
    out = os.path.join(args.work, "out-submit")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NOTECODER_")}
    environment[notecoder_job.FAULT_VARIABLE] = FAULT
    environment["PYSPARK_PYTHON"] = sys.executable
    command = [os.path.join(os.path.dirname(sys.executable), "spark-submit"), "--master", MASTER,
               "--archives", f"{args.archive}#{notecoder_job.ARCHIVE_ALIAS}"]
    for key, value in SPARK_CONF.items():
        command += ["--conf", f"{key}={value}"]
    command += [os.path.join(HERE, "notecoder_job.py"), jsonl, out, "--rows-per-batch", "16"]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, env=environment, cwd=args.work)
    stderr = done.stderr.decode("utf-8", "replace")
    with open(os.path.join(args.work, "spark-submit.log"), "w") as f:
        f.write(stderr)
    if not check("spark-submit with the archive exits 0", done.returncode == 0, stderr[-3000:]):
        return
    print(f"     (spark-submit took {time.monotonic() - started:.1f} s)")
    check("the input was split into several partitions", len(part_files(out)) >= 3, f"{len(part_files(out))} part files")
    check("the fault switch killed notecoder mid-partition", "fault switch" in stderr and "after 32 rows" in stderr)
    check("the job failed the task, and Spark retried it",
          "Lost task 1.0" in stderr and "attempt 0: notecoder exited with status -9" in stderr)
    check_lines("spark-submit, task killed and retried", text_output(out), expected, records)


def session_runs(args, jsonl, expected, records, spark):
    run = lambda *argv: notecoder_job.main([*argv, "--binary", args.binary, "--lexicons", os.path.join(ROOT, "Lexicons")],
                                           spark=spark)
    work = args.work

    # Parquet output: one row per record, the report column the same bytes, errors as a struct.
    import pyarrow.parquet as pq
    out = os.path.join(work, "out-parquet")
    run(jsonl, out, "--format", "parquet")
    table = pq.read_table(out).to_pylist()
    table.sort(key=lambda row: row["record"])
    expected_lines = expected.splitlines()
    check("parquet output: one row per record, every record once",
          [row["record"] for row in table] == list(range(1, records + 1)), f"{len(table)} rows")
    reports_match = all(row["report"] is not None and row["report"].encode() == line and row["error"] is None
                        for row, line in zip(table, expected_lines) if not line.startswith(b'{"id":'))
    check("parquet output: report column byte-identical to notecoder batch", reports_match)
    errors = [(row["record"], row["id"], row["error"]["kind"]) for row in table if row["error"]]
    wanted = [(json.loads(l)["record"], json.loads(l)["id"], json.loads(l)["error"]["kind"]) for l in expected_lines
              if l.startswith(b'{"id":')]
    check("parquet output: the error rows name their records (id, record, kind)", errors == wanted and len(errors) == 5,
          f"{errors} against {wanted}")
    kinds = {row["error"]["kind"] for row in table if row["error"]}
    check("error kinds: broken JSON, invalid UTF-8, no text", kinds == {"broken-record", "invalid-utf8"}, f"{kinds}")
    check("parquet output: diagnoses codes column",
          any(row["diagnoses"] for row in table) and all(row["report"] is None or row["diagnoses"] is not None for row in table))

    # Spark's other readers: Parquet and CSV rows become JSON records; FHIR lines go to the CLI's parser.
    dated = os.path.join(work, "notes-dated.jsonl")
    out = os.path.join(work, "out-from-parquet")
    run(os.path.join(work, "notes.parquet"), out)
    check("Parquet input: byte-identical to notecoder batch on the same notes as JSON Lines",
          text_output(out) == batch(args.binary, dated), f"{len(text_output(out))} bytes")
    out = os.path.join(work, "out-from-csv")
    run(os.path.join(work, "notes.csv"), out, "--id-column", "note_id", "--text-column", "body", "--date-column", "visit_date")
    reference = batch(args.binary, os.path.join(work, "notes.csv"), "--id-column", "note_id", "--text-column", "body",
                      "--date-column", "visit_date")
    check("CSV input: byte-identical to notecoder batch on the same CSV", text_output(out) == reference,
          f"{len(text_output(out))} bytes against {len(reference)}")
    out = os.path.join(work, "out-from-fhir")
    run(os.path.join(work, "notes.ndjson"), out, "--input-format", "fhir")
    reference = batch(args.binary, os.path.join(work, "notes.ndjson"), "--input-format", "fhir")
    check("FHIR DocumentReference input: byte-identical to notecoder batch --input-format fhir",
          text_output(out) == reference and reference.count(b"\n") == 61, f"{len(text_output(out))} bytes")

    # Empty input is an empty run.
    empty = os.path.join(work, "empty.jsonl")
    with open(empty, "w") as f:
        f.write("\n  \n")
    out = os.path.join(work, "out-empty")
    run(empty, out)
    check("empty input: an empty output, no error", text_output(out) == b"")

    # The same input twice gives the same bytes.
    out = os.path.join(work, "out-again")
    run(jsonl, out)
    check("a second run gives the same bytes", text_output(out) == expected)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--archive", required=True, help="made by scripts/dist.sh: bin/notecoder and Lexicons/")
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    args.binary, args.archive = os.path.abspath(args.binary), os.path.abspath(args.archive)
    os.makedirs(args.work, exist_ok=True)

    notes = corpus_notes()
    jsonl, records = write_inputs(args.work, notes)
    print(f"spark-test: {len(notes)} Corpus notes and 7 bad records ({records} records) in {jsonl}", flush=True)
    expected = batch(args.binary, jsonl)

    spark_submit_run(args, jsonl, expected, records)

    from pyspark.sql import SparkSession
    builder = SparkSession.builder.master(MASTER).appName("notecoder-spark-test")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        session_runs(args, jsonl, expected, records, spark)
    finally:
        spark.stop()

    failed = results.count(False)
    print(f"spark-test: {results.count(True)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
