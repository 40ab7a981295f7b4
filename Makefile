# Douyin Auth Desk — build, run and test.
# `make run` and `make test` install what they lack first: Debian packages
# with apt-get on Debian; on macOS and Windows they say what to install.

GO       ?= go
FYNE_TOOL_VERSION := v1.7.4
APT_RUN  := libgl1-mesa-dev xorg-dev libxkbcommon-dev fonts-noto-cjk
APT_TEST := $(APT_RUN) xvfb xauth gnome-keyring dbus-x11 xdotool imagemagick chromium file
APT_WINDOWS := gcc-mingw-w64-x86-64
APT_WINE := $(APT_WINDOWS) wine wine64 xvfb xauth xdotool imagemagick fonts-noto-cjk fonts-dejavu-core
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# PLATFORM is linux, darwin or windows (make from Git Bash or MSYS2).
ifeq ($(OS),Windows_NT)
PLATFORM := windows
EXE      := .exe
else
PLATFORM := $(shell uname -s | tr A-Z a-z)
EXE      :=
endif

# The fyne tool, installed once into build/tools: run through `go run` with a
# cross compiler in CC, it would try to build itself with that compiler.
FYNE := build/tools/fyne$(EXE)

# The Windows build: native on Windows, cross-compiled with MinGW elsewhere.
ifeq ($(PLATFORM),windows)
WINDOWS_ENV := CGO_ENABLED=1
else
WINDOWS_ENV := CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64
endif

.PHONY: all run test test-unit test-windows deps-run deps-test deps-windows deps-wine \
	build release package package-check windows windows-automation darwin vet vet-darwin fuzz bench bench-wine

all: build

# deps installs the Debian packages in $(1) that are missing; off Debian it
# checks for a C compiler and says what to install.
define deps
	@if [ -f /etc/debian_version ]; then \
		missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; fi; \
	elif [ "$(PLATFORM)" = darwin ]; then \
		xcode-select -p >/dev/null 2>&1 || { echo "make: Fyne needs the Xcode command line tools: run xcode-select --install, then make again" >&2; exit 1; }; \
	elif [ "$(PLATFORM)" = windows ]; then \
		command -v gcc >/dev/null 2>&1 || { echo "make: Fyne needs a C compiler: install MSYS2, run 'pacman -S mingw-w64-x86_64-gcc' and put C:\\msys64\\mingw64\\bin on PATH, then make again" >&2; exit 1; }; \
	else \
		echo "make: not Debian: install your system's packages for: $(1)" >&2; \
	fi
endef

deps-run:
	$(call deps,$(APT_RUN))

deps-test:
	$(call deps,$(APT_TEST))

deps-windows:
	$(call deps,$(APT_WINDOWS))

deps-wine:
	$(call deps,$(APT_WINE))

# fyne_package runs fyne package with the environment $(1) and the flags
# $(2). The tool raises Build in FyneApp.toml after every package; a release
# raises it on purpose, so the file is put back as it was.
define fyne_package
	@mkdir -p build && cp FyneApp.toml build/FyneApp.toml.orig
	$(1) $(FYNE) package $(2); s=$$?; mv build/FyneApp.toml.orig FyneApp.toml; exit $$s
endef

$(FYNE):
	GOBIN="$(abspath build/tools)" $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOL_VERSION)

# SHIP_TAGS are the build tags of every build a user runs: no_emoji leaves
# out Fyne's 4 MB emoji font, which each text style parsed again (an emoji
# in user data is drawn by the system's emoji font). Tests build without it.
SHIP_TAGS := no_emoji
# comma joins tags inside $(call …), which splits its arguments at commas.
comma := ,

## run: open the window.
run: deps-run
	$(GO) run -tags $(SHIP_TAGS) .

## build: the binary douyin-auth-desk.
build: deps-run
	$(GO) build -tags $(SHIP_TAGS) -o douyin-auth-desk$(EXE) .

## release: a stripped binary, built as `fyne package -release` builds it.
release: deps-run
	$(GO) build -trimpath -tags release,$(SHIP_TAGS) -ldflags "-s -w" -o douyin-auth-desk$(EXE) .

## package: the Linux tarball (icon, .desktop file, metadata) via fyne.io/tools.
package: deps-run $(FYNE)
	$(call fyne_package,,-os linux -release -tags $(SHIP_TAGS))

## package-check: build the tarball and the release binary and check them.
package-check: package release
	.ci/check-package

## windows: build/windows/douyin-auth-desk.exe (the window; icon, version
## and manifest from FyneApp.toml), douyin-auth-desk.com (the same program
## for cmd.exe and PowerShell) and douyin-auth-desk-windows-amd64.zip.
windows: deps-windows $(FYNE)
	rm -f "Douyin Auth Desk.exe"
	$(call fyne_package,$(WINDOWS_ENV),-os windows -release -tags $(SHIP_TAGS))
	$(GO) run ./tools/winrelease "Douyin Auth Desk.exe" assets/windows-README.txt build/windows
	rm -f "Douyin Auth Desk.exe"

## windows-automation: the Windows window build with the automation hook, for
## the real-window test under wine.
windows-automation: deps-windows $(FYNE)
	rm -f "Douyin Auth Desk.exe"
	$(call fyne_package,$(WINDOWS_ENV),-os windows -release -tags automation$(comma)$(SHIP_TAGS))
	mkdir -p build/windows-automation
	mv "Douyin Auth Desk.exe" build/windows-automation/douyin-auth-desk.exe

## test-windows: the Windows build's tests under wine and Xvfb (Debian).
test-windows: deps-wine windows windows-automation
	.ci/wine-session .ci/windows-tests

## darwin: the macOS app bundle; run it on a Mac (Xcode command line tools).
darwin: deps-run $(FYNE)
	$(call fyne_package,,-os darwin -release -tags $(SHIP_TAGS))

## vet-darwin: vet and build, for macOS on Intel and Apple silicon, every
## package that needs no cgo (all but the window).
DARWIN_PKGS := ./auth/... ./storage/... ./ui/cli/... ./ui/localeenv/... ./assets/... ./tools/...
vet-darwin:
	for arch in amd64 arm64; do \
		GOOS=darwin GOARCH=$$arch CGO_ENABLED=0 $(GO) vet $(DARWIN_PKGS) && \
		GOOS=darwin GOARCH=$$arch CGO_ENABLED=0 $(GO) build $(DARWIN_PKGS) || exit 1; \
	done

vet:
	$(GO) vet ./...

## test: vet, then every test with the race detector, and the automation
## hook's own tests (-tags automation); on Linux inside a D-Bus
## session with an unlocked gnome-keyring (the real Secret Service) and an
## Xvfb display. The plain build first fills the cache the tests' own binary
## builds use.
test: deps-test vet
	$(GO) build ./...
ifeq ($(PLATFORM),linux)
	.ci/desktop-session $(GO) test -race -count=1 -timeout 30m ./...
	.ci/desktop-session $(GO) test -race -count=1 -timeout 10m -tags automation -run Automation ./ui/
else
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -race -count=1 -timeout 10m -tags automation -run Automation ./ui/
endif

## test-unit: the tests that need no desktop, keyring or display.
test-unit:
	$(GO) test -short ./auth/... ./storage/... ./ui/cli/... ./ui/localeenv/... ./tools/...

## fuzz: run each fuzz target for FUZZTIME (default 1m).
FUZZTIME ?= 1m
fuzz:
	$(GO) test ./auth/ -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./auth/ -run '^$$' -fuzz '^FuzzParsePasted$$' -fuzztime $(FUZZTIME)
	$(GO) test ./ui/cli/ -run '^$$' -fuzz '^FuzzSanitize$$' -fuzztime $(FUZZTIME)

## bench: startup, memory, idle CPU and size against a bare Fyne window;
## writes docs/BENCHMARKS.md (STARTS=11 RUNS=3 IDLE=60 by default; TAGS=…
## builds both programs with those tags).
bench: deps-test
	.ci/desktop-session env TAGS=$(SHIP_TAGS) bench/run.sh

## bench-wine: the same figures for the Windows build under wine, indicative;
## writes docs/BENCHMARKS-windows.md (Debian).
bench-wine: deps-test deps-windows deps-wine
	.ci/wine-session env TAGS=$(SHIP_TAGS) bench/wine.sh
