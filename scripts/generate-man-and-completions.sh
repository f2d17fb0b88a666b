#!/usr/bin/env bash
# Regenerates Resources/man/hamlet.1 (from the command definitions, through swift-argument-parser's
# generate-manual plugin) and the bash, zsh and fish completion scripts in Resources/completions/, from the
# debug build (the plugin too: a release build of every product would take many minutes). With --check, writes them to a temporary folder instead and fails if they differ from the
# committed ones (scripts/test.sh runs it so). The man page's date is pinned, so that output depends only on
# the sources; move it when the commands change.
set -euo pipefail
cd "$(dirname "$0")/.."
MAN_DATE=2026-12-06
check=false
[[ "${1:-}" == "--check" ]] && check=true
out=Resources
if $check; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/man" "$out/completions"
swift package --allow-writing-to-package-directory generate-manual --configuration debug --output-directory "$out/man" \
    --date "$MAN_DATE" --authors "The Hamlet developers" > /dev/null
swift build 2>&1 | tail -n 1 > /dev/null
for shell in bash zsh fish; do
    .build/debug/hamlet --generate-completion-script "$shell" > "$out/completions/hamlet.$shell"
done
if $check; then
    if ! diff -r "$out/man" Resources/man > /dev/null || ! diff -r "$out/completions" Resources/completions > /dev/null
    then
        diff -r "$out/man" Resources/man | head -20 || true
        diff -r "$out/completions" Resources/completions | head -20 || true
        echo "the man page or the completions are out of date: run scripts/generate-man-and-completions.sh" >&2
        exit 1
    fi
    echo "man page and completions up to date"
fi
