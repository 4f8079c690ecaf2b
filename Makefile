# aidj — build, test, demo and benchmark. `make demo` and `make test` install missing system packages first.

SWIFT ?= swift
# pkg-config names of the C libraries, and the Debian packages that provide them.
PKG_CONFIG_NAMES := sndfile fftw3f openblas soxr libebur128 rubberband taglib taglib_c sqlite3
APT_PACKAGES := pkg-config libsndfile1-dev libfftw3-dev libopenblas-dev libsoxr-dev libebur128-dev \
                librubberband-dev libtag1-dev libtagc0-dev libsqlite3-dev
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(APT_PACKAGES)
# The web player's browser test drives headless Chromium through chromedriver (WebDriver on loopback).
TEST_APT_PACKAGES := chromium chromium-driver
TEST_COMMANDS := chromium chromedriver

.PHONY: deps test-deps build test demo bench release format clean

## deps: check the C libraries with pkg-config; install what is missing (as root) or say how.
deps:
	@missing=""; \
	if ! command -v pkg-config >/dev/null 2>&1; then missing="pkg-config"; else \
	  for lib in $(PKG_CONFIG_NAMES); do pkg-config --exists $$lib || missing="$$missing $$lib"; done; fi; \
	if [ -z "$$missing" ]; then echo "deps: all C libraries present"; exit 0; fi; \
	echo "deps: missing:$$missing"; \
	if [ "$$(id -u)" = "0" ]; then \
	  apt-get update -qq && $(APT_INSTALL); \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo $(APT_INSTALL); \
	else \
	  echo "deps: run as root:  apt-get update && $(APT_INSTALL)"; exit 1; \
	fi

## test-deps: the browser for the web player's test; installed like the C libraries.
test-deps:
	@missing=""; for cmd in $(TEST_COMMANDS); do command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$cmd"; done; \
	if [ -z "$$missing" ]; then echo "test-deps: chromium and chromedriver present"; exit 0; fi; \
	echo "test-deps: missing:$$missing"; \
	if [ "$$(id -u)" = "0" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(TEST_APT_PACKAGES); \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(TEST_APT_PACKAGES); \
	else \
	  echo "test-deps: run as root:  apt-get update && apt-get install -y $(TEST_APT_PACKAGES)"; exit 1; \
	fi

build: deps
	$(SWIFT) build

## test: every test (Swift Testing); numeric modules are optimized even in debug builds.
test: deps test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

## demo: generate the demo library, ingest it into demo/library.sqlite, print the library.
demo: build
	$(SWIFT) run aidj demo --folder demo/library --db demo/library.sqlite

## bench: speed and accuracy figures (release build).
bench: deps
	$(SWIFT) build -c release
	.build/release/aidj-bench speed
	.build/release/aidj-bench accuracy
	.build/release/aidj-bench composer --epochs 5
	.build/release/aidj-bench classifier
	.build/release/aidj-bench taste
	.build/release/aidj-bench assess --speed
	.build/release/aidj-bench similar
	.build/release/aidj-bench mix
	.build/release/aidj-bench serve

## release: a self-contained release binary (migrations are embedded) at .build/release/aidj.
release: deps
	$(SWIFT) build -c release --product aidj
	@echo "release binary: .build/release/aidj"

## format: swift-format with the checked-in .swift-format (4 spaces, 120 columns).
format:
	$(SWIFT) format format -i -r Sources Tests Benchmarks Migrations Package.swift

clean:
	rm -rf .build demo
