# pylock: see README.md.
GO ?= go
FUZZTIME ?= 10s

.PHONY: build test demo bench fuzz clean

# build makes the static binary (no cgo: nothing to link at start-up, which
# also starts faster).
build:
	CGO_ENABLED=0 $(GO) build -o bin/pylock ./cmd/pylock

# test runs every test; this is what .ci/run runs.
test:
	$(GO) test -count=1 ./...

# demo serves the bundled index on 127.0.0.1 and runs lock, check and install
# on the example project.
demo: build
	./scripts/demo.sh

# fuzz runs every fuzz target in turn, FUZZTIME each; see scripts/fuzz.sh.
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

clean:
	rm -rf bin
