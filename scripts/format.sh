#!/usr/bin/env bash
# Formats every Swift source in place with the toolchain's swift-format and the settings in .swift-format
# (4-space indents, 120 columns, layout only: no rewriting rules). `scripts/format.sh --check` changes nothing and
# fails when a file is not formatted; scripts/test.sh runs it before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format --version >/dev/null 2>&1 || { echo "swift-format is missing: it comes with Swift 6 toolchains" >&2; exit 1; }
if [ "${1:-}" = "--check" ]; then
    swift format lint --recursive --strict Sources Tests Package.swift
else
    swift format format --in-place --recursive Sources Tests Package.swift
fi
