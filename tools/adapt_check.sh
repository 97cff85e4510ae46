#!/usr/bin/env bash
# Adapted targets on real news (issue 12, item 1): NTREX-128 as a TM, one
# number changed per query, no adapted target may keep the old number.
# See tools/adapt_check.py; NTREX comes from tools/ntrex.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release -q -p server
python3 tools/adapt_check.py target/release/glossary-server "$(tools/ntrex.sh)"
