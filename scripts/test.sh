#!/usr/bin/env bash
# Sets up the machine if needed, then runs Hamlet's whole test suite (debug build, as `swift test` does).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
swift test --disable-swift-testing
