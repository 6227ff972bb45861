#!/usr/bin/env python3
"""What Spark costs over a plain batch (`make spark-bench`, scripts/spark-bench.sh).

    python spark/bench_notecoder_job.py --binary .build/release/notecoder --data mtsamples.jsonl --work DIR

Ten copies of the data (ids made unique) are coded by `notecoder batch --jobs 2` and by the Spark
job on local[2] (two tasks at a time, each notecoder with --jobs 1), RUNS times each, alternated;
the median wall time of each is shown as notes/s, and their ratio. The Spark figure is one job in
a running session (reading, the count pass, coding, writing part files); starting the session,
which a cluster pays once per job, is shown apart, and an untimed job on one copy warms the
session first. Both outputs must be the same bytes.
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import notecoder_job  # noqa: E402


def ten_copies(source, target, copies):
    with open(source, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    with open(target, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for line in lines:
                record = json.loads(line)
                record["id"] = f"c{copy}-{record['id']}"
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(lines) * copies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lexicons = os.path.join(ROOT, "Lexicons")

    big = os.path.join(args.work, f"mtsamples-x{args.copies}.jsonl")
    notes = ten_copies(args.data, big, args.copies)
    size = os.path.getsize(big)
    print(f"spark-bench: {notes} notes, {size / 1e6:.1f} MB ({args.copies} copies of {os.path.basename(args.data)}), "
          f"{os.cpu_count()} cores", flush=True)

    from pyspark.sql import SparkSession
    started = time.monotonic()
    spark = (SparkSession.builder.master("local[2]").appName("notecoder-spark-bench")
             .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    session_seconds = time.monotonic() - started

    plain_out = os.path.join(args.work, "plain.jsonl")
    plain, on_spark = [], []
    try:
        # One job on the single copy first, untimed: the first job of a session also starts the
        # Python workers and warms the JVM, which a long job pays once.
        notecoder_job.main([args.data, os.path.join(args.work, "warm-up"), "--binary", args.binary, "--lexicons", lexicons],
                           spark=spark)
        for run in range(args.runs):
            started = time.monotonic()
            subprocess.run([args.binary, "batch", big, "--out", plain_out, "--jobs", "2", "--errors", "inline",
                            "--no-queries", "--quiet", "--lexicons", lexicons], check=True)
            plain.append(time.monotonic() - started)
            out = os.path.join(args.work, f"spark-{run}")
            started = time.monotonic()
            notecoder_job.main([big, out, "--binary", args.binary, "--lexicons", lexicons, "--overwrite"], spark=spark)
            on_spark.append(time.monotonic() - started)
            print(f"spark-bench: run {run + 1}: batch {plain[-1]:.2f} s, Spark {on_spark[-1]:.2f} s", flush=True)
        partitions = len(glob.glob(os.path.join(out, "part-*")))
        spark_bytes = b"".join(open(p, "rb").read() for p in sorted(glob.glob(os.path.join(out, "part-*"))))
    finally:
        spark.stop()
    with open(plain_out, "rb") as f:
        same = f.read() == spark_bytes

    batch_s, spark_s = statistics.median(plain), statistics.median(on_spark)
    print(f"spark-bench: notecoder batch --jobs 2     {batch_s:6.2f} s  {notes / batch_s:8,.0f} notes/s  (median of {args.runs})")
    print(f"spark-bench: Spark job, local[2]          {spark_s:6.2f} s  {notes / spark_s:8,.0f} notes/s  "
          f"({partitions} partitions; starting the session: {session_seconds:.1f} s more)")
    print(f"spark-bench: Spark / batch time = {spark_s / batch_s:.2f}x (target <= 1.5x); "
          f"outputs {'byte-identical' if same else 'DIFFERENT'}")
    print(f"spark-bench: load average now {' '.join(open('/proc/loadavg').read().split()[:3])} "
          "(other work on the machine lowers both figures)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
