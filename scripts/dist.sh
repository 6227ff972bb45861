#!/usr/bin/env bash
# The archive an executor needs (`make dist`): bin/notecoder, built with the Swift runtime linked
# in (--static-swift-stdlib), and Lexicons/. Unpacked anywhere, bin/notecoder finds ../Lexicons
# by itself; a Spark job ships it with `--archives FILE#notecoder`. Besides it, an executor needs
# glibc, libstdc++ and libpcre2-8 (Debian/Ubuntu: libpcre2-8-0; RHEL: pcre2), which this script
# lists from the built binary.
#
#   scripts/dist.sh                            build into .build-dist/, write dist/notecoder-VERSION-linux-ARCH.tar.gz
#   scripts/dist.sh --binary PATH --out FILE   pack a binary built elsewhere (the Spark test packs its own build)
#   SWIFT_BUILD_FLAGS="-j 1" scripts/dist.sh   extra flags for swift build
#
# The archive is reproducible: names sorted, times, owners and gzip's header fixed. The binary
# also asks for glibc 2.35 and GCC 12's libstdc++ (Debian 12, Ubuntu 22.04 or newer).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'dist: %s\n' "$*" >&2; }
binary="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) say "usage: scripts/dist.sh [--binary PATH] [--out FILE]"; exit 64 ;;
    esac
done

if [ -z "$binary" ]; then
    scripts/setup.sh --deps >&2
    command -v swift >/dev/null 2>&1 || export PATH="$PATH:/opt/swift/usr/bin"
    scratch=${NOTECODER_DIST_SCRATCH:-.build-dist}
    say "building notecoder with the Swift runtime linked in ($scratch/; the first build takes several minutes)"
    # shellcheck disable=SC2086 # SWIFT_BUILD_FLAGS is a list of flags
    swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product notecoder ${SWIFT_BUILD_FLAGS:-} >&2
    binary="$scratch/release/notecoder"
fi
[ -x "$binary" ] || { say "$binary is not an executable"; exit 66; }

version=$("$binary" --version)
out=${out:-dist/notecoder-$version-linux-$(uname -m).tar.gz}
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "${TMPDIR:-/tmp}/notecoder-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin"
cp "$binary" "$stage/bin/notecoder"
# Debug symbols are most of a release binary's size; executors have no use for them.
if command -v strip >/dev/null 2>&1; then strip "$stage/bin/notecoder"; fi
cp -R Lexicons "$stage/Lexicons"
# What the packed binary will load: it must run from the stage and read the lexicons beside it.
"$stage/bin/notecoder" lexicon check "$stage/Lexicons" >/dev/null \
    || { say "the packed binary cannot load its lexicons"; exit 1; }
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$stage" -cf - bin Lexicons | gzip -n -9 > "$out"
say "wrote $out ($(du -h "$out" | cut -f1)); bin/notecoder needs these shared libraries:"
ldd "$binary" | awk '{print "dist:   " $1}' >&2
if ldd "$binary" | grep -q 'libswift\|libFoundation\|libdispatch'; then
    say "note: this binary loads the Swift runtime from the toolchain; an executor without it needs the archive of scripts/dist.sh without --binary"
fi
echo "$out"
