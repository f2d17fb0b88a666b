#!/usr/bin/env bash
# Sets up the machine if needed, checks that the sources are formatted (scripts/format.sh), runs Hamlet's whole
# test suite (debug build, as `swift test` does), then checks that the committed man page and shell completions
# are what the commands generate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/format.sh --check
swift test --disable-swift-testing
scripts/generate-man-and-completions.sh --check
