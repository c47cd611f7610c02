# pylock: see README.md.
GO ?= go
FUZZTIME ?= 10s

.PHONY: build test demo fuzz clean

build:
	$(GO) build -o bin/pylock ./cmd/pylock

# test runs every test; this is what .ci/run runs.
test:
	$(GO) test -count=1 ./...

# demo serves the bundled index on 127.0.0.1 and runs lock, check and install
# on the example project.
demo: build
	./scripts/demo.sh

clean:
	rm -rf bin
