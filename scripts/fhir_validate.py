#!/usr/bin/env python3
"""Validate NDJSON FHIR bundles (notecoder batch --format fhir) against the FHIR R4B models of
fhir.resources, and check what an 837P needs of each draft Claim: diagnosis sequences 1..n
(at most 12), item pointers that name them (at most 4), one Task per query focused on the Claim.

Usage: fhir_validate.py FILE.ndjson [...]   Exit status 1 naming each bad line."""
import json
import sys

from fhir.resources.R4B.bundle import Bundle


def check(line_text, where):
    problems = []
    try:
        bundle = Bundle.model_validate_json(line_text)
    except Exception as error:  # the validator's message names the field
        return [f"{where}: not a valid FHIR Bundle: {error}"]
    resources = [entry.resource for entry in bundle.entry or []]
    claims = [r for r in resources if r.__resource_type__ == "Claim"]
    if len(claims) != 1:
        return [f"{where}: {len(claims)} Claim resources, expected 1"]
    claim = claims[0]
    sequences = [d.sequence for d in claim.diagnosis or []]
    if sequences != list(range(1, len(sequences) + 1)) or len(sequences) > 12:
        problems.append(f"{where}: diagnosis sequences {sequences}")
    for item in claim.item or []:
        pointers = item.diagnosisSequence or []
        if len(pointers) > 4 or any(p not in sequences for p in pointers):
            problems.append(f"{where}: item {item.sequence} points to {pointers}")
    claim_url = bundle.entry[0].fullUrl
    for task in (r for r in resources if r.__resource_type__ == "Task"):
        if task.focus is None or task.focus.reference != claim_url:
            problems.append(f"{where}: a Task is not focused on the Claim")
    return problems


def main(paths):
    problems, bundles = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                bundles += 1
                problems += check(text, f"{path}:{number}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{bundles} bundles checked, {len(problems)} problem(s)")
    return 1 if problems or bundles == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
