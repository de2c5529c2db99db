# edupipe: `make run` builds and runs on the shipped samples; `make test` runs
# the tests. Missing system libraries are installed with apt-get.

SWIFT ?= swift
RELEASE_BIN := .build/release/edupipe
APT_PACKAGES := libxml2-dev zlib1g-dev libisal-dev libsqlite3-dev pkg-config time

.PHONY: all deps build run run-2023 docs test fuzz fuzz-replay bench bench-serve check-browser check-formulas clean

all: build

# Installs libxml2, zlib and SQLite headers when pkg-config cannot find them, and
# GNU time, with which the heavy tests read edupipe's peak memory.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libxml-2.0 zlib sqlite3 libisal || [ ! -x /usr/bin/time ]; then \
		echo "installing $(APT_PACKAGES) with apt-get"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

# The Swift runtime and Foundation are linked statically: a bigger file on
# disk, but 4 MB less memory per run and a quicker start (no relocations of
# shared Swift libraries at load time). Every function, private ones too
# (Swift) and C's, gets a section of its own, so that the linker can lay out
# the code a night runs together (link/edupipe.order, Package.swift;
# docs/performance.md). Swift alone splits only its public functions.
RELEASE_FLAGS := -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
build: deps
	$(SWIFT) build -c release --static-swift-stdlib $(RELEASE_FLAGS)

# The nightly job on the shipped sample inbox, into out/.
run: build
	$(RELEASE_BIN) run --inbox samples/inbox --out out

# The 2023 plan (five collections) on its own sample inbox, into out-2023/.
run-2023: build
	$(RELEASE_BIN) run --pipeline pipelines/basic-education-2023.yaml --inbox samples/inbox-2023 --out out-2023

# The county format guide, written from the 2023 plan (a test fails when
# the committed docs/format.*.md are stale).
docs: build
	$(RELEASE_BIN) plan doc --pipeline pipelines/basic-education-2023.yaml --lang zh --out docs
	$(RELEASE_BIN) plan doc --pipeline pipelines/basic-education-2023.yaml --lang en --out docs

# Tests run in a release build (with testing enabled): byte loops are 10-50x
# slower in debug, and the heavy tests drive the release-built binary. The
# test build alone compiles in the failpoints (EDUPIPE_FAILPOINTS) that let a
# test make the binary crash on a file; it builds in .build-test, so
# `make build`'s binary in .build never has them (and neither build undoes
# the other).
test: deps
	$(SWIFT) test -c release --scratch-path .build-test -Xswiftc -enable-testing -Xswiftc -DEDUPIPE_FAILPOINTS

# libFuzzer harnesses (Fuzz/) under AddressSanitizer: FUZZ_SECONDS each
# (default 60), new crashes kept in Fuzz/regressions/<harness>/.
fuzz: deps
	bash scripts/fuzz.sh fuzz

# Every committed corpus and regression input once, under the sanitizers (CI).
fuzz-replay: deps
	bash scripts/fuzz.sh replay

# Speed and memory against the zlib floor, gzip, Polars, DuckDB and xmllint
# on a synthetic national inbox (generated once under bench/data).
bench: build
	bash bench/run.sh

# Uploads of the whole synthetic national inbox with 64 clients: edupipe
# serve against nginx's WebDAV PUT (installed with apt-get when missing).
bench-serve: build
	bash bench/serve.sh

# The clerks' page in headless Chromium through Selenium (a throwaway
# virtual environment): sign in, upload, read the verdict, switch language;
# screenshots into docs/screenshots/.
check-browser: build
	bash scripts/check-browser.sh

# LibreOffice Calc opens the CSVs a night writes over formula-named files
# and headers, formulas evaluated: none may run (installs nothing itself:
# apt-get install libreoffice-calc-nogui).
check-formulas: build
	bash scripts/check-formulas.sh

clean:
	rm -rf .build .build-test .build-fuzz out out-2023
