#!/bin/sh
# Regenerates the migration fixtures testdata/migration/poetry/poetry.lock and
# testdata/migration/pdm/pdm.lock with the real Poetry (1.3) and PDM (2.2)
# found on PATH (Debian's python3-poetry and pdm packages), against the test
# index (testdata/index) served on 127.0.0.1:$PORT (8765 unless set; the port
# appears in the lock files' URLs). The fixture projects pin
# versions older than the newest on the index, so that the migration tests
# prove a first `pylock lock` keeps them. No network is used.
#
#   scripts/gen-migration-fixtures.sh
#   PORT=8799 scripts/gen-migration-fixtures.sh   # when 8765 is taken
set -eu
port=${PORT:-8765}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'kill "$index_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

cd "$root"
go build -o "$tmp/testindex" ./cmd/testindex
"$tmp/testindex" -dir testdata/index -addr "127.0.0.1:$port" >"$tmp/index.log" 2>&1 &
index_pid=$!
i=0
until grep -q simple "$tmp/index.log"; do
	i=$((i + 1))
	if [ "$i" -ge 100 ] || ! kill -0 "$index_pid" 2>/dev/null; then
		cat "$tmp/index.log" >&2
		exit 1
	fi
	sleep 0.1
done

# lock_with TOOL FIXTURE_DIR LOCK_FILE COMMAND...: runs COMMAND in a copy of
# the fixture's generation project and copies the lock file it wrote back.
lock_with() {
	tool=$1 dir=$2 lock=$3
	shift 3
	mkdir -p "$tmp/$tool"
	sed "s/127.0.0.1:8765/127.0.0.1:$port/" "$dir/generate.toml" >"$tmp/$tool/pyproject.toml"
	(cd "$tmp/$tool" && "$@")
	cp "$tmp/$tool/$lock" "$dir/$lock"
	echo "wrote $dir/$lock ($("$tool" --version))"
}

export POETRY_CACHE_DIR="$tmp/poetry-cache" POETRY_CONFIG_DIR="$tmp/poetry-config"
export POETRY_VIRTUALENVS_CREATE=false POETRY_NO_INTERACTION=1
lock_with poetry testdata/migration/poetry poetry.lock poetry lock --no-update

export PDM_CACHE_DIR="$tmp/pdm-cache" PDM_HOME="$tmp/pdm-home" PDM_CHECK_UPDATE=false PDM_IGNORE_SAVED_PYTHON=1
lock_with pdm testdata/migration/pdm pdm.lock pdm lock
