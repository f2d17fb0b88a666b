#!/usr/bin/env bash
# Installs the system packages Hamlet builds against (libxml2, sqlite3, zlib, pkg-config) when any is missing;
# with --test, also the tools the end-to-end tests drive: procmail and maildrop; spamc, rspamc, rspamd's milter
# proxy and miltertest (the daemon's clients) and curl; useradd, setpriv, unshare, mount and script (a real
# delivery account, a read-only mount, a terminal); GNU time to measure a filter's memory; python3, whose sqlite3
# module holds a store locked; postgresql, whose server the PostgreSQL store's tests start privately (the package's
# own cluster is not started: the policy-rc.d below refuses it); openssl, which makes that server's certificate.
# Debian and Ubuntu; needs root or sudo for the install step. Swift itself (with its swift-format) must already be
# installed.
set -euo pipefail

packages=(libxml2-dev libsqlite3-dev zlib1g-dev pkg-config)
[ "${1:-}" = "--test" ] && packages+=(procmail maildrop time python3 util-linux mount bsdutils passwd spamc rspamd miltertest curl systemd postgresql openssl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..." >&2
    $sudo_cmd apt-get update -qq
    # Only rspamc and the packages' programs are wanted: a policy-rc.d that refuses keeps the install from
    # starting rspamd's own service (and is removed again if this script put it there).
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
        $sudo_cmd chmod 755 /usr/sbin/policy-rc.d
        trap '$sudo_cmd rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
    echo "Swift is not installed (or not on PATH): see https://www.swift.org/install/" >&2
    exit 1
fi
# Exim's spam ACL is tested with Debian's real exim, unpacked under .build/test-tools (not installed as an MTA).
tools="$(cd "$(dirname "$0")/.." && pwd)/.build/test-tools"
if [ "${1:-}" = "--test" ] && [ ! -x "$tools/exim/usr/sbin/exim4" ]; then
    folder=$(mktemp -d)
    download() { (cd "$folder" && apt-get download exim4-daemon-heavy libmariadb3 libspf2-2 >/dev/null 2>&1); }
    # The package lists may be stale when nothing else needed installing: refresh them once and try again.
    download || { $sudo_cmd apt-get update -qq && download; } || true
    mkdir -p "$tools/exim"
    for deb in "$folder"/*.deb; do [ -e "$deb" ] && dpkg-deb -x "$deb" "$tools/exim"; done
    rm -rf "$folder"
fi
