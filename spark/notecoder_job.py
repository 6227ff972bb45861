#!/usr/bin/env python3
"""NoteCoder as a map step on Apache Spark.

    spark-submit [--archives notecoder-VERSION-linux-ARCH.tar.gz#notecoder] spark/notecoder_job.py \\
        INPUT OUTPUT [--format jsonl|parquet] [--input-format auto|jsonl|fhir|parquet|csv] \\
        [--id-column id] [--text-column text] [--date-column dateOfService] [--lexicons DIR] \\
        [--binary PATH] [--jobs-per-task 1] [--overwrite]

Spark reads the notes where they lie (JSON Lines, FHIR DocumentReference NDJSON, Parquet, CSV),
each partition is piped through one `notecoder batch - --errors inline` process, and every input
record gives exactly one output row: its report, or an error naming what was wrong. README.md,
"Running on Spark", says how to ship the binary and what the output holds.

Why it is built this way:
- JSON Lines and FHIR lines go to the binary as the bytes Spark read (the text source, cast to
  binary), so the CLI's own parser judges them: a broken line or invalid UTF-8 becomes that
  record's error row instead of being repaired or dropped by a Spark JSON reader. Parquet and CSV
  rows are turned into `{"id", "text", "dateOfService"}` lines by Spark (to_json) first.
- `record` is the record's ordinal in the whole input, in Spark's read order (for one file, its
  line order without blank lines, as `notecoder batch` counts). A first pass counts the records
  of each partition (in the JVM, cheap); each task starts the binary with `--first-record`, so
  the binary writes the very bytes `notecoder batch` writes for the whole input.
- The binary's output is checked against what was sent: one line per record, each with the
  expected record, or the task fails. Spark retries a failed task from the start, and its output
  commit protocol keeps only the attempt that succeeded, so a retry leaves no duplicate and no gap.
- Records go in on a writer thread while the task's own thread reads the answers, so neither
  pipe can fill up and stop the other side.
- Notes are PHI: nothing here logs a note, and the binary's error lines never quote one.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

# What the binary reads, per input format of this job.
BINARY_INPUT_FORMAT = {"jsonl": "jsonl", "fhir": "fhir", "parquet": "jsonl", "csv": "jsonl"}
# The name the archive is unpacked under (`--archives FILE#notecoder`) and its layout.
ARCHIVE_ALIAS = "notecoder"
ARCHIVE_BINARY = os.path.join("bin", "notecoder")
ARCHIVE_LEXICONS = "Lexicons"
# Set by a test on the driver: "PARTITION:LINES" kills the binary of that partition's first
# attempt once LINES output lines have been handed to Spark, to prove that a retry is clean.
FAULT_VARIABLE = "NOTECODER_SPARK_FAULT"
BOM = b"\xef\xbb\xbf"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="notecoder_job.py",
        description="Code notes with NoteCoder on Spark: one output row per input record.")
    parser.add_argument("input", help="a file or folder Spark can read (local, HDFS, object storage)")
    parser.add_argument("output", help="the output folder (Spark writes part files into it)")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl",
                        help="output: jsonl (the lines of `notecoder batch --errors inline`) or parquet "
                             "(record, id, report, error, diagnoses, procedures); default jsonl")
    parser.add_argument("--input-format", choices=["auto", "jsonl", "fhir", "parquet", "csv"], default="auto",
                        help="auto: by the input's extension (.parquet, .csv, else JSON Lines)")
    parser.add_argument("--id-column", default="id", help="Parquet/CSV: the note id column")
    parser.add_argument("--text-column", default="text", help="Parquet/CSV: the note text column")
    parser.add_argument("--date-column", default="dateOfService",
                        help="Parquet/CSV: the date of service column (a date, or text YYYY-MM-DD); "
                             "optional: without it the engine reads the note's own date")
    parser.add_argument("--lexicons", help="a Lexicons folder on the driver, shipped with the job "
                                           "(default: the archive's, else $NOTECODER_LEXICONS on the executors)")
    parser.add_argument("--binary", help="the notecoder binary's path on the executors "
                                         "(default: the archive's, else $NOTECODER_BIN, else notecoder on PATH)")
    parser.add_argument("--jobs-per-task", type=int, default=1,
                        help="threads of each task's notecoder (default 1; raise spark.task.cpus to match)")
    parser.add_argument("--rows-per-batch", type=int, default=1024,
                        help="output rows handed to Spark at a time (default 1024)")
    parser.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    args = parser.parse_args(argv)
    if args.input_format == "auto":
        name = args.input.rstrip("/").lower()
        args.input_format = "parquet" if name.endswith(".parquet") else "csv" if name.endswith(".csv") else "jsonl"
    if args.jobs_per_task < 1 or args.rows_per_batch < 1:
        parser.error("--jobs-per-task and --rows-per-batch must be at least 1")
    return args


def read_lines(spark, args):
    """One binary column `line`: a JSON record per row, blank lines left out as the CLI leaves them."""
    from pyspark.sql import functions as F
    if args.input_format in ("jsonl", "fhir"):
        # lineSep "\n": Hadoop's default also ends a line at a lone "\r", the CLI does not.
        raw = spark.read.option("lineSep", "\n").text(args.input)
        return raw.filter(~F.col("value").rlike("^\uFEFF?[ \t]*\r?\\z")).select(F.col("value").cast("binary").alias("line"))
    if args.input_format == "parquet":
        table = spark.read.parquet(args.input)
    else:
        table = (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
                 .option("mode", "PERMISSIVE").csv(args.input))
    columns = set(table.columns)
    for option, name in (("--id-column", args.id_column), ("--text-column", args.text_column)):
        if name not in columns:
            raise SystemExit(f"notecoder_job: no column named '{name}' ({option}); the input has: "
                             + ", ".join(table.columns))
    fields = [F.col(args.id_column).cast("string").alias("id"), F.col(args.text_column).cast("string").alias("text")]
    if args.date_column in columns:
        kind = table.schema[args.date_column].dataType.typeName()
        date = F.col(args.date_column)
        date = F.date_format(date, "yyyy-MM-dd") if kind in ("date", "timestamp", "timestamp_ntz") else F.trim(date.cast("string"))
        fields.append(F.when(date == "", None).otherwise(date).alias("dateOfService"))
    # to_json leaves out null fields: a row without text becomes the CLI's "no text" error.
    return table.select(F.to_json(F.struct(*fields)).cast("binary").alias("line"))


def partition_counts(lines):
    """Records per input partition, counted by the JVM over the same plan the coding pass scans."""
    from pyspark.sql import functions as F
    rows = lines.groupBy(F.spark_partition_id().alias("partition")).count().collect()
    return {row["partition"]: row["count"] for row in rows}


def first_records(counts):
    first, offsets = 1, {}
    for partition in sorted(counts):
        offsets[partition] = first
        first += counts[partition]
    return offsets


def locate(path_option, environment_variable, archive_part, fallback):
    """On an executor: the option, else the unpacked archive, else the environment, else `fallback`."""
    if path_option:
        return path_option
    from pyspark import SparkFiles
    for root in (SparkFiles.getRootDirectory(), os.getcwd()):
        candidate = os.path.join(root, ARCHIVE_ALIAS, archive_part)
        if os.path.exists(candidate):
            return candidate
    return os.environ.get(environment_variable, fallback)


class PartitionCoder:
    """The function Spark runs for each partition (mapInArrow): records in, one row per record out."""

    def __init__(self, settings, first_by_partition, count_by_partition, fault, error_counter):
        self.settings = settings
        self.first_by_partition = first_by_partition
        self.count_by_partition = count_by_partition
        self.fault = fault
        self.error_counter = error_counter

    def __call__(self, batches):
        import pyarrow as pa
        from pyspark import SparkFiles, TaskContext

        context = TaskContext.get()
        partition, attempt = context.partitionId(), context.attemptNumber()
        expected = self.count_by_partition.value.get(partition, 0)
        if expected == 0:
            for _ in batches:
                pass
            return
        first = self.first_by_partition.value[partition]
        settings = self.settings
        binary = locate(settings["binary"], "NOTECODER_BIN", ARCHIVE_BINARY, "notecoder")
        if settings["lexicons_shipped"]:
            lexicons = SparkFiles.get(settings["lexicons_shipped"])
        else:
            lexicons = locate(None, "NOTECODER_LEXICONS", ARCHIVE_LEXICONS, "Lexicons")
        command = [binary, "batch", "-", "--input-format", settings["binary_input_format"], "--errors", "inline",
                   "--no-queries", "--quiet", "--jobs", str(settings["jobs"]), "--first-record", str(first)]
        environment = dict(os.environ, NOTECODER_LEXICONS=lexicons)
        fault_after = self.fault[1] if self.fault and self.fault[0] == partition and attempt == 0 else None
        where = f"partition {partition} (records {first}-{first + expected - 1}), attempt {attempt}"

        with tempfile.TemporaryFile() as errors:
            try:
                process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                                           env=environment, bufsize=1 << 20)
            except OSError as error:
                raise RuntimeError(f"notecoder_job: {where}: cannot run {binary} ({error.strerror}); ship the archive "
                                   f"with --archives FILE#{ARCHIVE_ALIAS}, or name the binary with --binary") from None
            sent = [0]
            writer_failure = []
            # Under the fault switch, standard input stays open until the kill, so that the
            # binary is still running when it is killed however small the partition.
            release = threading.Event()
            if fault_after is None:
                release.set()

            def feed():
                try:
                    for batch in batches:
                        lines = batch.column(0).to_pylist()
                        # A byte-order mark starts a file, and the CLI drops it from its first
                        # line; which row began a file is not known here, so any row loses one.
                        for i, line in enumerate(lines):
                            if line.startswith(BOM):
                                lines[i] = line[3:]
                        process.stdin.write(b"\n".join(lines) + b"\n")
                        process.stdin.flush()
                        sent[0] += len(lines)
                    release.wait()
                except BrokenPipeError:
                    pass  # the binary stopped: the reading side reports why
                except BaseException as error:  # noqa: BLE001 - handed to the task's thread
                    writer_failure.append(error)
                finally:
                    try:
                        process.stdin.close()
                    except BrokenPipeError:
                        pass

            def rows(records, lines):
                return pa.RecordBatch.from_arrays([pa.array(records, pa.int64()), pa.array(lines, pa.binary())],
                                                  names=["record", "line"])

            writer = threading.Thread(target=feed, name=f"notecoder-feed-{partition}", daemon=True)
            writer.start()
            received, errors_seen = 0, 0
            records, lines = [], []
            try:
                for raw in process.stdout:
                    record = first + received
                    line = raw[:-1] if raw.endswith(b"\n") else raw
                    # Every line carries its record as a key ("record" appears unescaped only as a key).
                    if b'"record":%d,' % record not in line:
                        raise RuntimeError(f"notecoder_job: {where}: output line {received + 1} is not record {record}")
                    if line.startswith(b'{"id":'):
                        errors_seen += 1
                    records.append(record)
                    lines.append(line)
                    received += 1
                    fault_now = fault_after is not None and received >= min(fault_after, expected)
                    if len(lines) >= settings["rows_per_batch"] or fault_now:
                        yield rows(records, lines)
                        records, lines = [], []
                    if fault_now:
                        # The rows above have reached Spark: the retry must replace them, not add to them.
                        process.kill()
                        release.set()
                        print(f"notecoder_job: fault switch ({FAULT_VARIABLE}): killed notecoder in {where} "
                              f"after {received} rows", file=sys.stderr, flush=True)
                        fault_after = None
                status = process.wait()
                writer.join()
                if writer_failure:
                    raise writer_failure[0]
                if status != 0 or received != expected or sent[0] != expected:
                    errors.seek(0)
                    said = errors.read()[-2000:].decode("utf-8", "replace").strip()
                    raise RuntimeError(f"notecoder_job: {where}: notecoder exited with status {status} after "
                                       f"{received} of {expected} records ({sent[0]} sent)" + (f": {said}" if said else ""))
                if lines:
                    yield rows(records, lines)
                self.error_counter.add(errors_seen)
            finally:
                release.set()
                if process.poll() is None:
                    process.kill()
                    process.wait()


def run(spark, args):
    """Codes args.input into args.output; returns (records, error rows, seconds to count, seconds in all)."""
    from pyspark.sql import functions as F
    start = time.monotonic()
    sc = spark.sparkContext
    if __name__ != "__main__":
        # Imported by another program: the executors need this module to unpickle the task.
        sc.addPyFile(os.path.abspath(__file__))
    lexicons_shipped = None
    if args.lexicons:
        lexicons = os.path.abspath(args.lexicons) if "://" not in args.lexicons else args.lexicons
        sc.addFile(lexicons, recursive=True)
        lexicons_shipped = os.path.basename(lexicons.rstrip("/"))
    fault = None
    if os.environ.get(FAULT_VARIABLE):
        partition, _, after = os.environ[FAULT_VARIABLE].partition(":")
        fault = (int(partition), int(after or 1))

    lines = read_lines(spark, args)
    counts = partition_counts(lines)
    counted = time.monotonic()
    total = sum(counts.values())
    settings = {
        "binary": args.binary, "lexicons_shipped": lexicons_shipped, "jobs": args.jobs_per_task,
        "binary_input_format": BINARY_INPUT_FORMAT[args.input_format], "rows_per_batch": args.rows_per_batch,
    }
    error_counter = sc.accumulator(0)
    coder = PartitionCoder(settings, sc.broadcast(first_records(counts)), sc.broadcast(counts), fault, error_counter)
    coded = lines.mapInArrow(coder, "record long, line binary")
    text = F.col("line").cast("string")
    mode = "overwrite" if args.overwrite else "errorifexists"
    if args.format == "jsonl":
        coded.select(text.alias("value")).write.mode(mode).text(args.output)
    else:
        keys = F.from_json(text, "id string, error struct<kind: string, detail: string>, "
                                 "diagnoses array<struct<code: string>>, procedures array<struct<code: string>>")
        (coded.select("record", text.alias("line"), keys.alias("keys"))
         .select("record", F.col("keys.id").alias("id"),
                 F.when(F.col("keys.error").isNull(), F.col("line")).alias("report"),
                 F.col("keys.error").alias("error"),
                 F.col("keys.diagnoses.code").alias("diagnoses"), F.col("keys.procedures.code").alias("procedures"))
         .write.mode(mode).parquet(args.output))
    return total, error_counter.value, counted - start, time.monotonic() - start


def main(argv=None, spark=None):
    args = parse_args(argv)
    from pyspark.sql import SparkSession
    own = spark is None
    if own:
        spark = SparkSession.builder.appName("notecoder").getOrCreate()
    try:
        total, failed, counting, seconds = run(spark, args)
    finally:
        if own:
            spark.stop()
    print(f"notecoder_job: {total} records ({total - failed} coded, {failed} error rows) in {seconds:.1f} s "
          f"(counting {counting:.1f} s) -> {args.output} ({args.format})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
