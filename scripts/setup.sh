#!/usr/bin/env bash
# NoteCoder setup: make sure the system pieces are there, then build the release binary.
#
#   scripts/setup.sh            check/install libpcre2-dev and pkg-config, find swift, build release
#   scripts/setup.sh --deps     the checks and installs only, no build (what `make test` uses)
#
# Safe to run again: it installs only what is missing and `swift build` rebuilds only what changed.
# NOTECODER_SCRATCH (default .build) names the build folder, as `swift build --scratch-path` does.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say()  { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

build=1
case "${1:-}" in
    "") ;;
    --deps) build=0 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option '$1' (use --deps or no option)" ;;
esac

# --- system packages: pkg-config and libpcre2-8 (the regex engine NoteCoder matches with) ------
have_pcre2() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libpcre2-8; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        fail "need root to run '$*' and sudo is not installed; as root, run: apt-get install -y libpcre2-dev pkg-config"
    fi
}

if have_pcre2; then
    say "libpcre2-8 $(pkg-config --modversion libpcre2-8) found by pkg-config"
else
    command -v apt-get >/dev/null 2>&1 \
        || fail "libpcre2-8 not found and apt-get is not available; install PCRE2 (with its pkg-config file) and pkg-config yourself"
    say "libpcre2-8 or pkg-config missing; installing libpcre2-dev and pkg-config with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    install=(apt-get install -y -q --no-install-recommends libpcre2-dev pkg-config)
    if ! as_root "${install[@]}"; then
        say "install failed; running apt-get update and trying once more"
        as_root apt-get update -q || fail "apt-get update failed (no network or no package mirror?)"
        as_root "${install[@]}" || fail "apt-get could not install libpcre2-dev and pkg-config; install them by hand and retry"
    fi
    have_pcre2 || fail "libpcre2-dev was installed but pkg-config still cannot find libpcre2-8"
    say "libpcre2-8 $(pkg-config --modversion libpcre2-8) installed"
fi

# --- the Swift toolchain ---------------------------------------------------------------------
if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
        say "swift is not on PATH; using /opt/swift/usr/bin/swift (add /opt/swift/usr/bin to PATH to skip this)"
    else
        fail "swift not found on PATH nor at /opt/swift/usr/bin; install Swift 6 (https://swift.org/install) and retry"
    fi
fi
say "$(swift --version 2>/dev/null | head -n 1)"

[ "$build" -eq 1 ] || { say "dependencies OK"; exit 0; }

# --- the release build -----------------------------------------------------------------------
scratch="${NOTECODER_SCRATCH:-.build}"
say "building release into $scratch/ (the first build takes a few minutes) ..."
swift build -c release --scratch-path "$scratch"
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/notecoder"
[ -x "$bin" ] || fail "the build finished but $bin is missing"
say "done. The binary: $bin"
say "run it from this folder (it reads ./Lexicons), e.g.: $bin suggest Examples/sample-note.txt"
