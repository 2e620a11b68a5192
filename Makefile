# The two commands a newcomer needs: `make run` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Translations: ui/i18n/rmdesk_<lang>.ts are the sources (rmdesk_en.ts is the template: English is the
# source language); the .qm files pyside6-lrelease compiles from them are build output.
I18N   := ui/i18n
TS     := $(wildcard $(I18N)/rmdesk_*.ts)
QM     := $(patsubst %.ts,%.qm,$(TS))
LUPDATE_FLAGS := -extensions py -locations relative -no-obsolete -source-language en

.PHONY: run test lint bench clean translations update-translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dev,server]'
	touch $(STAMP)

run: $(STAMP) translations
	$(BIN)/rmdesk

translations: $(QM)

$(I18N)/%.qm: $(I18N)/%.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent -nounfinished $< -qm $@

# After changing strings in ui/ or app/ (app marks its user messages with app.messages.QT_TRANSLATE_NOOP):
# refresh every .ts from the sources (new strings arrive unfinished).
update-translations: $(STAMP)
	$(BIN)/pyside6-lupdate $(LUPDATE_FLAGS) ui app -ts $(TS)

lint: $(STAMP)
	$(BIN)/ruff check app ui server tests bench
	$(BIN)/lint-imports

test: lint translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache $(QM)
