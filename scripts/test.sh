#!/usr/bin/env bash
# Sets up the machine if needed, checks that the sources are formatted (scripts/format.sh), then runs Hamlet's
# whole test suite (debug build, as `swift test` does).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/format.sh --check
swift test --disable-swift-testing
