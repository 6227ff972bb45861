# NoteCoder — the commands a newcomer needs. Run from the repository root.
#
#   make demo       set up (installs libpcre2-dev if missing), build release, code Examples/sample-note.txt
#   make test       run all tests
#
# Everything else: `make help`.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Swift may be installed without being on PATH (this project's machines keep it in /opt/swift).
export PATH := $(PATH):/opt/swift/usr/bin

# The build folder (swift build --scratch-path); scripts/setup.sh reads the same variable.
SCRATCH ?= .build
export NOTECODER_SCRATCH := $(SCRATCH)
BIN := $(SCRATCH)/release/notecoder
# Shared development data, present on developer machines, not necessarily in CI.
SHARED ?= ../shared
NOTE ?= Examples/sample-note.txt

.PHONY: help demo build test browser-test fhir-test fuzz check evaluate context bench clean

help:
	@echo "make demo      set up, build release, print the report for $(NOTE)"
	@echo "make test      run all tests (swift test)"
	@echo "make browser-test  the web page in headless Chromium (installed from Debian when missing)"
	@echo "make fhir-test the FHIR R4 Claim bundles of every annotated note, validated with fhir.resources (installed in .venv-fhir/ when missing)"
	@echo "make fuzz      libFuzzer on the note engine, the batch readers and the lexicon loader, FUZZ_SECONDS each (default 60)"
	@echo "make build     set up and build release only ($(BIN))"
	@echo "make check     lexicon check: patterns compile, examples hold, codes exist"
	@echo "make evaluate  score the engine on Corpus/ (and $(SHARED)/corpus/mtsamples-dev when present)"
	@echo "make context   score negation/temporality/experiencer on $(SHARED)/data/negex/negex-dev.tsv when present"
	@echo "make bench     scaling table (time per MB of ever longer notes), then batch speed and memory on $(SHARED)/data/mtsamples"
	@echo "make clean     remove build products"
	@echo "make dist      the executor archive: notecoder (Swift runtime linked in) and Lexicons/, in dist/"
	@echo "make spark-test  the Spark job on local[2] (installs Java 17 and pyspark in .venv-spark/ when missing)"
	@echo "make spark-bench the Spark job against notecoder batch on $(SHARED)/data/mtsamples x10"

build:
	@scripts/setup.sh

demo: build
	@echo
	$(BIN) suggest $(NOTE)

test:
	@scripts/setup.sh --deps
	swift test --disable-xctest --scratch-path $(SCRATCH)

browser-test:
	@scripts/setup.sh --deps
	SCRATCH_PATH=$(SCRATCH) scripts/browser-test.sh

check: build
	$(BIN) lexicon check

evaluate: build
	$(BIN) evaluate Corpus
	@echo; echo '$(BIN) evaluate Corpus/real/dev'
	$(BIN) evaluate Corpus/real/dev
	@echo; echo '$(BIN) evaluate Corpus/real/validation   (never tuned to: see Corpus/real/README.md)'
	$(BIN) evaluate Corpus/real/validation
	@echo; echo '$(BIN) evaluate Corpus/synthetic/dev'
	$(BIN) evaluate Corpus/synthetic/dev
	@echo; echo '$(BIN) evaluate Corpus/synthetic/validation   (never read: see Corpus/synthetic/README.md)'
	$(BIN) evaluate Corpus/synthetic/validation
	@if [ -d "$(SHARED)/corpus/mtsamples-dev" ]; then \
		echo; echo '$(BIN) evaluate $(SHARED)/corpus/mtsamples-dev'; \
		$(BIN) evaluate "$(SHARED)/corpus/mtsamples-dev"; \
	else \
		echo "($(SHARED)/corpus/mtsamples-dev not found: skipped)"; \
	fi

context: build
	@if [ -f "$(SHARED)/data/negex/negex-dev.tsv" ]; then \
		echo '$(BIN) context $(SHARED)/data/negex/negex-dev.tsv --score'; \
		$(BIN) context "$(SHARED)/data/negex/negex-dev.tsv" --score; \
	else \
		echo "$(SHARED)/data/negex/negex-dev.tsv not found: nothing to score"; \
	fi

# Scaling table: time per MB of one phrase repeated 1k-64k times, a word storm of 5-512 KB and a
# real note repeated to 4 MB (flat = linear). Then the batch benchmark: `notecoder batch` over
# $(SHARED)/data/mtsamples/mtsamples.jsonl and ten copies of it, with --jobs 1 and 2; prints
# notes/s, MB/s and peak memory (skipped when the data is absent).
bench: build
	@SHARED="$(SHARED)" scripts/bench.sh

clean:
	swift package clean --scratch-path $(SCRATCH)

# Running on Spark (spark/, README "Running on Spark").
.PHONY: dist spark-test spark-bench

dist:
	@scripts/dist.sh

spark-test:
	@scripts/spark-test.sh

spark-bench:
	@SHARED="$(SHARED)" scripts/spark-bench.sh

fhir-test:
	scripts/fhir-test.sh

FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
