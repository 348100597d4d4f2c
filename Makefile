# PassFort API 4.0 conformance harness. Two commands matter:
#   make conformance   the full suite against the embedded mock, reports in reports/
#   make test          every unit test, then the suite, with the race detector
# Everything else is optional. Only Go is needed.

GO        ?= go
TAGS      ?=
SEED      ?=
ADDR      ?= 127.0.0.1:8080

GODOG_ARGS := $(if $(TAGS),--godog.tags='$(TAGS)') $(if $(SEED),--godog.random=$(SEED))

.PHONY: conformance test unit browser race vet fmt-check mock spec-diff drift fidelity docs help

help:
	@echo "make conformance [TAGS='@smoke'] [SEED=N]   run the suite (reports in reports/)"
	@echo "make test                                   unit tests + suite, race detector on"
	@echo "make mock [ADDR=127.0.0.1:8080]             run the standalone mock"
	@echo "make spec-diff BASE=a.yaml REVISION=b.yaml  breaking changes between two specs"
	@echo "make drift [STRICT=1]                       drift gate over the last run against spec/drift-baseline.yaml"
	@echo "make fidelity A=dir B=dir                   compare two runs' outcomes (mock vs real API)"

conformance:
	@mkdir -p reports
	$(GO) test -count=1 -args $(GODOG_ARGS)

test: vet fmt-check unit browser race

unit:
	$(GO) test -count=1 -race -skip 'TestHTMLInChromium' ./spec/... ./internal/... ./steps/... ./cmd/...

# The HTML report's browser test, verbose so a skip (no chromium) is visible.
browser:
	$(GO) test -count=1 -v -run 'TestHTMLInChromium' ./internal/report/

race:
	@mkdir -p reports
	$(GO) test -count=1 -race -args $(GODOG_ARGS)

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt: not formatted: $$out"; exit 1; fi

mock:
	$(GO) run ./cmd/passfort-mock -addr $(ADDR)

spec-diff:
	@test -n "$(BASE)" -a -n "$(REVISION)" || { echo "usage: make spec-diff BASE=a.yaml REVISION=b.yaml"; exit 2; }
	$(GO) run ./cmd/spec-diff -base '$(BASE)' -revision '$(REVISION)'

# The drift gate over the last run's reports/drift.json: fails on drift the
# baseline does not accept and on expired entries. STRICT=1 fails on any drift.
drift:
	$(GO) run ./cmd/drift gate -report reports/drift.json -baseline spec/drift-baseline.yaml $(if $(STRICT),-strict)

# Compare two runs: make fidelity A=reports-mock B=reports-demo (folders or run.json files).
fidelity:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make fidelity A=run-a/ B=run-b/"; exit 2; }
	$(GO) run ./cmd/fidelity '$(A)' '$(B)'

docs:
	$(GO) run ./cmd/stepdoc README.md
