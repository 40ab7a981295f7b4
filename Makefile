# Douyin Auth Desk — build, run and test on Debian with Go installed.
# `make run` and `make test` install the Debian packages they lack first.

GO       ?= go
FYNE     ?= $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
APT_RUN  := libgl1-mesa-dev xorg-dev libxkbcommon-dev fonts-noto-cjk
APT_TEST := $(APT_RUN) xvfb xauth gnome-keyring dbus-x11 xdotool imagemagick chromium file
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all run test test-unit deps-run deps-test build release package package-check vet fuzz bench

all: build

# deps-% installs the listed Debian packages that are not installed yet.
deps-run:
	@missing=$$(for p in $(APT_RUN); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; fi

deps-test:
	@missing=$$(for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; fi

## run: open the window.
run: deps-run
	$(GO) run .

## build: the binary douyin-auth-desk.
build: deps-run
	$(GO) build -o douyin-auth-desk .

## release: a stripped binary, built as `fyne package -release` builds it.
release: deps-run
	$(GO) build -trimpath -tags release -ldflags "-s -w" -o douyin-auth-desk .

## package: the Linux tarball (icon, .desktop file, metadata) via fyne.io/tools.
package: deps-run
	$(FYNE) package -os linux -release

## package-check: build the tarball and the release binary and check them.
package-check: package release
	.ci/check-package

vet:
	$(GO) vet ./...

## test: vet, then every test with the race detector, inside a D-Bus session
## with an unlocked gnome-keyring (the real Secret Service) and an Xvfb display.
## The plain build first fills the cache the tests' own binary builds use.
test: deps-test vet
	$(GO) build ./...
	.ci/desktop-session $(GO) test -race -count=1 -timeout 30m ./...

## test-unit: the tests that need no desktop, keyring or display.
test-unit:
	$(GO) test -short ./auth/... ./storage/... ./ui/cli/...

## fuzz: run each fuzz target for FUZZTIME (default 1m).
FUZZTIME ?= 1m
fuzz:
	$(GO) test ./auth/ -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./auth/ -run '^$$' -fuzz '^FuzzParsePasted$$' -fuzztime $(FUZZTIME)

## bench: startup, memory, idle CPU and size against a bare Fyne window;
## writes docs/BENCHMARKS.md (RUNS=3 IDLE=60 by default).
bench: deps-test
	.ci/desktop-session bench/run.sh
