#!/usr/bin/env bash
# Peer comparison: scokg against jieba (POS tagging) and rdflib (load + SPARQL).
#
#   benches/peers/run.sh CORPUS_DIR [SCOKG_BIN] [peers.py options, e.g. --runs 5]
#
# Installs the pinned Python packages into target/peers-venv, then runs peers.py.
set -euo pipefail

usage() { echo "usage: $0 CORPUS_DIR [SCOKG_BIN] [--runs N] [--jieba-runs N] ..." >&2; exit 1; }
[[ $# -ge 1 && $1 != -* ]] || usage

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

corpus="$1"; shift
bin="$root/target/release/scokg"
if [[ $# -gt 0 && $1 != -* ]]; then bin="$1"; shift; fi
[[ -d $corpus ]] || { echo "not a directory: $corpus" >&2; exit 1; }
[[ -x $bin ]] || { echo "not an executable: $bin (build it with cargo build --release)" >&2; exit 1; }

venv="$root/target/peers-venv"
if [[ ! -x $venv/bin/python ]]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

exec "$venv/bin/python" "$here/peers.py" \
    --corpus "$corpus" --scokg "$bin" \
    --query "$here/member_states_per_year.rq" \
    --report "$root/target/peers/report.md" "$@"
