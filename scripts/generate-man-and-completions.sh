#!/usr/bin/env bash
# Regenerates Resources/man/hamlet.1 (from the command definitions, through swift-argument-parser's
# generate-manual plugin) and the bash, zsh and fish completion scripts in Resources/completions/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Resources/man Resources/completions
swift package --allow-writing-to-package-directory generate-manual --output-directory Resources/man \
    --date "$(date -u +%Y-%m-%d)" --authors "The Hamlet developers"
swift build -c release 2>&1 | tail -n 1
for shell in bash zsh fish; do
    .build/release/hamlet --generate-completion-script "$shell" > "Resources/completions/hamlet.$shell"
done
