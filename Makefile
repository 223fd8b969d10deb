# Two entry points work on a fresh machine with nothing installed by hand: `make align` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: setup align test bench soak clean

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

bench: $(STAMP)
	$(BIN)/python -m benchmarks run

soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak

clean:
	rm -rf $(OUT) bench-out .pytest_cache
