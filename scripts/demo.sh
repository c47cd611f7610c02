#!/usr/bin/env bash
# Runs pylock end to end on examples/demo against the bundled index served on
# 127.0.0.1: lock, check, install with a group and an extra, then imports the
# installed packages and runs a console script from the virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
CGO_ENABLED=0 go build -o bin/pylock ./cmd/pylock
go build -o bin/testindex ./cmd/testindex

work=$(mktemp -d)
cp examples/demo/pyproject.toml "$work/"
bin/testindex -dir testdata/index -addr 127.0.0.1:0 >"$work/index.log" 2>&1 &
index_pid=$!
trap 'kill $index_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  url=$(grep -o 'http://[^ ]*/simple/\?' "$work/index.log" | head -n1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "demo: the test index did not start"; cat "$work/index.log"; exit 1; }
export PYLOCK_INDEX_URL=$url PYLOCK_CACHE_DIR=$work/cache

run() { echo "\$ $*"; "$@"; }
run bin/pylock --project "$work" lock
run head -n 20 "$work/pylock.toml"
run bin/pylock --project "$work" check
run bin/pylock --project "$work" install --with dev --extras cli
run "$work/.venv/bin/python" -c 'import httpx, click, pytest; print("imported httpx", httpx.__version__)'
run "$work/.venv/bin/httpx"
echo "demo: done"
