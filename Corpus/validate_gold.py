#!/usr/bin/env python3
"""Consistency check for Corpus/ gold files (see ../shared/corpus/FORMAT.md).

Usage: python3 Corpus/validate_gold.py [CORPUS_DIR] [ICD_TABLE_DIR]

Checks: every gold JSON parses, `id` equals the file stem, every note has a gold
file and vice versa, field types, query kinds, that the date of service appears in
the note text, that procedure pointers are among the note's diagnoses, that
time-limited HCPCS/CPT codes are used only in their years, and that every
ICD-10-CM code is billable in the edition covering the date of service
(FY2021 table for DOS up to 2021-09-30, FY2025 table for FY2022-FY2025,
FY2026 table from 2025-10-01; notes without a date must be billable in both
FY2025 and FY2026). ICD tables: ../shared/data/icd10cm/ by default.
"""
import json, os, re, sys, datetime

here = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else here
icd_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "..", "shared", "data", "icd10cm")

def load(fy):
    t = {}
    with open(os.path.join(icd_dir, f"icd10cm-fy{fy}.tsv")) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 2:
                t[p[0]] = p[1] == "1"
    return t

tables = {fy: load(fy) for fy in (2021, 2025, 2026)}
KINDS = {"laterality", "site", "muscle-count", "nerve", "guidance", "time",
         "chronic-conditions", "consent", "indication", "conflict", "performed"}
MODS = {"RT", "LT", "50", "59", "XS", "XE", "XP", "XU", "25",
        "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "FA",
        "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "TA"}
YEARS = {"G2058": (2020, 2020), "99439": (2021, 9999), "99437": (2022, 9999),
         "99424": (2022, 9999), "99425": (2022, 9999), "99426": (2022, 9999),
         "99427": (2022, 9999), "G3002": (2023, 9999), "G3003": (2023, 9999),
         "27278": (2024, 9999)}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

def editions(dos):
    if not dos:
        return [2025, 2026]
    d = datetime.date.fromisoformat(dos)
    fy = d.year + 1 if d.month >= 10 else d.year
    return [2021] if fy <= 2021 else [2025] if fy <= 2025 else [2026]

def date_in_text(dos, text):
    d = datetime.date.fromisoformat(dos)
    t = text.lower()
    forms = [dos, f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.month}/{d.day}/{d.year}",
             f"{MONTHS[d.month-1]} {d.day} {d.year}", f"{MONTHS[d.month-1]} {d.day}, {d.year}"]
    full = d.strftime("%B").lower()
    forms += [f"{full} {d.day}, {d.year}", f"{full} {d.day} {d.year}"]
    return any(f in t for f in forms)

errors = []
notes = {f[:-4] for f in os.listdir(os.path.join(corpus, "notes")) if f.endswith(".txt")}
golds = {f[:-5] for f in os.listdir(os.path.join(corpus, "gold")) if f.endswith(".json")}
for m in sorted(notes ^ golds):
    errors.append(f"{m}: note/gold file missing on one side")

for stem in sorted(golds):
    path = os.path.join(corpus, "gold", stem + ".json")
    try:
        g = json.load(open(path))
    except Exception as e:
        errors.append(f"{stem}: JSON does not parse: {e}")
        continue
    err = lambda msg: errors.append(f"{stem}: {msg}")
    if g.get("id") != stem:
        err(f"id {g.get('id')!r} != file stem")
    dos = g.get("dateOfService")
    if dos is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", dos):
            err(f"bad dateOfService {dos!r}")
            dos = None
        elif stem in notes and not date_in_text(dos, open(os.path.join(corpus, "notes", stem + ".txt")).read()):
            err(f"dateOfService {dos} not found in the note text")
    for k in ("diagnoses", "procedures", "queries"):
        if not isinstance(g.get(k), list):
            err(f"{k} missing or not a list")
    dx = g.get("diagnoses", [])
    eds = editions(dos)
    codes = set(dx)
    for p in g.get("procedures", []):
        if set(p) != {"code", "modifiers", "units", "diagnoses"}:
            err(f"procedure keys {sorted(p)}")
        if not isinstance(p.get("units"), int) or p["units"] < 1:
            err(f"{p.get('code')}: bad units")
        for m in p.get("modifiers", []):
            if m not in MODS:
                err(f"{p['code']}: unexpected modifier {m}")
        if "50" in p.get("modifiers", []) and ({"RT", "LT"} & set(p["modifiers"])):
            err(f"{p['code']}: 50 together with RT/LT")
        for d in p.get("diagnoses", []):
            if d not in dx:
                err(f"{p['code']} points to {d}, not among the note's diagnoses")
            codes.add(d)
        if p.get("code") in YEARS and dos:
            lo, hi = YEARS[p["code"]]
            if not lo <= int(dos[:4]) <= hi:
                err(f"{p['code']} not valid in {dos[:4]}")
    for c in sorted(codes):
        for ed in eds:
            if not tables[ed].get(c, False):
                err(f"{c} not billable in FY{ed} (DOS {dos})")
    for q in g.get("queries", []):
        if q not in KINDS:
            err(f"unknown query kind {q}")
    if len(set(dx)) != len(dx):
        err("duplicate diagnosis")

print(f"{len(golds)} gold files checked, {len(errors)} problem(s)")
for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
