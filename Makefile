# Two commands a reader needs:  `make book`  and  `make test`.
# Both create .venv from requirements.txt on first use and install mlcalc editable.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test unit notebooks browser clean env assign lab

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml jupyter/overrides.json jupyter/jupyter_server_config.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# JupyterLab settings for the book (no news or update checks) and the server's save hook (tracked
	# notebooks never keep outputs), installed into the environment so every `jupyter lab` sees them.
	# (The server reads only extension switches from jupyter_server_config.d/: the hook goes in
	# the environment's main jupyter_server_config.json.)
	mkdir -p $(VENV)/share/jupyter/lab/settings $(VENV)/etc/jupyter
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	cp jupyter/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	touch $(STAMP)

## Build the HTML book into _build/html (executes every chapter; a failing check fails the build).
book: $(STAMP)
	PYTHONHASHSEED=0 $(BIN)/jupyter-book build . --warningiserror --keep-going

## Run everything: unit tests, every notebook under nbval, hygiene, then the built book in Chromium.
# pytest's options (--nbval-lax, --dist loadfile, ...) live in pyproject.toml, so every way of
# running pytest (these targets, `pytest chapters/x.ipynb`) runs the notebooks the same way.
# The book build executes one notebook at a time and keeps about one core busy, so the tests that
# do not read the built book (units, nbval, JupyterLab) run beside it; the tests that read it
# (marker `book`) run once it is built, spread test by test over both workers (--dist load: they
# share nothing but the session's browser). A failed build fails `make test`, with its log shown.
test: $(STAMP)
	@mkdir -p _build; rm -f _build/book.rc
	@( PYTHONHASHSEED=0 $(BIN)/jupyter-book build . --warningiserror --keep-going \
	     > _build/book.log 2>&1; echo $$? > _build/book.rc ) & \
	PYTHONHASHSEED=0 $(BIN)/python -m pytest -n 2 -m "not book" --durations=25; tests=$$?; \
	wait; book=$$(cat _build/book.rc); \
	if [ "$$book" != 0 ]; then cat _build/book.log; echo "== the book build failed ($$book)"; \
	else tail -n 3 _build/book.log; fi; \
	[ "$$book" = 0 ] && [ "$$tests" = 0 ]
	PYTHONHASHSEED=0 $(BIN)/python -m pytest -n 2 -m book --dist load --durations=5

## Pieces of `make test`, for contributors.
unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 tests -m "not browser and not jupyterlab"
notebooks: $(STAMP)
	PYTHONHASHSEED=0 $(BIN)/python -m pytest -n 2 chapters exercises
browser: book
	$(BIN)/python -m pytest tests -m "browser or jupyterlab"

clean:
	rm -rf _build

## Regenerate the learner exercise notebooks from exercises/solutions/.
assign: $(STAMP)
	$(BIN)/python -m mlcalc.assign

## Run the book in JupyterLab, in your own git-ignored copy of it (my-work/): created on first use,
# then book updates are merged in; your edits, answers and outputs are never overwritten
# (python -m mlcalc.workspace). Options: `make lab PORT=8890 LAB_ARGS="--no-browser"`.
# --allow-root is added when run as root (containers, cloud machines): Jupyter refuses without it.
WORKSPACE := my-work
lab: $(STAMP)
	$(BIN)/python -m mlcalc.workspace --book . --workspace $(WORKSPACE)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(WORKSPACE) $(if $(PORT),--ServerApp.port=$(PORT)) \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)
