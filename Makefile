# Two entry points work on a fresh machine with nothing installed by hand: `make align` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
# The benchmark data (WMT22, the UN dev set, Text+Berg, ...): not in the repository; README.md "Benchmark data".
SHARED ?= $(if $(ALIGNER_SHARED),$(ALIGNER_SHARED),../shared)

.PHONY: setup align test bench soak clean shared-data

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: argostranslate needs stanza, which needs torch; this release is the CPU build
	# (unpinned, pip would fetch a CUDA build of several GB).
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

align: $(STAMP)
	$(BIN)/aligner batch corpora -o $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP) shared-data
	$(BIN)/python -m benchmarks run

soak: $(STAMP) shared-data
	$(BIN)/python -m benchmarks.soak

shared-data:
	@test -d "$(SHARED)/data" || { echo "make: the benchmark data is not in $(SHARED)/data. It is not part of the" \
	  "repository: put the shared/ folder beside the clone (or set ALIGNER_SHARED=/path/to/shared); README.md," \
	  "'Benchmark data', lists each data set and where to download it. make test needs none of it." >&2; exit 2; }

clean:
	rm -rf $(OUT) bench-out .pytest_cache
