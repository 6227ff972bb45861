#!/usr/bin/env bash
# What the Spark job's tests and benchmark need on this machine, installed when missing:
# Java (Debian's openjdk-17-jre-headless) and a virtual environment with the pinned pyspark and
# pyarrow of spark/requirements.txt (.venv-spark/, or $SPARK_VENV). Prints the environment's
# python on standard output; everything else goes to standard error.
#
#   scripts/spark-setup.sh        used by `make spark-test` and `make spark-bench`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=${SPARK_VENV:-.venv-spark}
say() { printf 'spark-setup: %s\n' "$*" >&2; }

# apt-get as root, or through sudo; one `apt-get update` and a retry when the first try fails
# (a fresh machine's package lists may be missing or stale).
apt_install() {
    local root=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { say "need root or sudo to install $*"; exit 2; }
        root=(sudo)
    fi
    local install=("${root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@")
    "${install[@]}" >&2 || { "${root[@]}" apt-get update -q >&2 && "${install[@]}" >&2; } \
        || { say "apt-get could not install $*"; exit 2; }
}

if ! command -v java >/dev/null 2>&1; then
    say "java is missing; installing openjdk-17-jre-headless from Debian"
    apt_install openjdk-17-jre-headless
fi
say "$(java -version 2>&1 | head -n 1)"

if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    if ! python3 -m venv "$VENV" >&2; then
        say "python3 -m venv failed; installing python3-venv"
        apt_install python3-venv
        rm -rf "$VENV"
        python3 -m venv "$VENV" >&2
    fi
fi
# The stamp is the requirements file as installed: a changed pin reinstalls, an unchanged one is quiet.
if ! cmp -s spark/requirements.txt "$VENV/.requirements"; then
    say "installing spark/requirements.txt into $VENV (pyspark is about 450 MB)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r spark/requirements.txt >&2
    cp spark/requirements.txt "$VENV/.requirements"
fi
say "$("$VENV/bin/python" -c 'import pyspark, pyarrow; print(f"pyspark {pyspark.__version__}, pyarrow {pyarrow.__version__}")')"
echo "$PWD/$VENV/bin/python"
