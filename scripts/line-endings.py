"""The line-ending variants a message is checked in (scripts/filter-contract.py, scripts/delivery-contract.py):
the six found in use plus a bare CR before the separator and a seeded mix of endings."""
import random


def _lf(data):
    return data.replace(b'\r\n', b'\n')


def _without_separator(data):
    i = data.find(b'\n\n')
    return data if i < 0 else data[:i + 1] + data[i + 2:]


def _headers_only(data):
    i = data.find(b'\n\n')
    return data if i < 0 else data[:i + 1]


def _bare_cr(data):
    i = data.find(b'\n\n')
    return data if i < 0 else data[:i] + b'\r\r\n\n' + data[i + 2:]


def _mixed(data, seed):
    rng = random.Random(seed)
    out = []
    for line in data.split(b'\n'):
        out.append(line)
        out.append(rng.choice((b'\n', b'\r\n', b'\r\n', b'\r')))
    return b''.join(out[:-1])


VARIANTS = {
    'plain': lambda d, s: _lf(d),
    'crlf': lambda d, s: _lf(d).replace(b'\n', b'\r\n'),
    'no-final-newline': lambda d, s: _lf(d).rstrip(b'\n'),
    'crlf-no-final-newline': lambda d, s: _lf(d).rstrip(b'\n').replace(b'\n', b'\r\n'),
    'no-separator': lambda d, s: _without_separator(_lf(d)),
    'headers-only': lambda d, s: _headers_only(_lf(d)),
    'bare-cr': lambda d, s: _bare_cr(_lf(d)),
    'cr-only': lambda d, s: _lf(d).replace(b'\n', b'\r'),
    'mixed': lambda d, s: _mixed(_lf(d), s),
}
