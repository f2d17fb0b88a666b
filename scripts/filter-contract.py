#!/usr/bin/env python3
"""Every message of the SpamAssassin corpus through `hamlet filter` (release build), one process each, checked
against the filter contract: the output is the input minus earlier X-Spam-*/X-Hamlet-* fields plus Hamlet's four
fields at the end of the header block, in the message's own line ending. Usage: scripts/filter-contract.py [CORPUS]
"""
import os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')
OWN = re.compile(rb'^(x-spam-|x-hamlet-)', re.I)


def split_header(data):
    """(header block including its final line break, separator+body) the way a mail client reads them."""
    for sep in (b'\r\n\r\n', b'\n\n'):
        i = data.find(sep)
        if i != -1:
            j = i + len(sep) // 2
            return data[:j], data[j:]
    return data, b''


def fields(block):
    out, current = [], b''
    for line in block.splitlines(keepends=True):
        if line[:1] in (b' ', b'\t') and current:
            current += line
        else:
            if current:
                out.append(current)
            current = line
    if current:
        out.append(current)
    return out


def expected_prefix(data):
    head, body = split_header(data)
    from_line = b''
    if head.startswith(b'From '):
        nl = head.find(b'\n') + 1
        from_line, head = head[:nl], head[nl:]
    kept = [f for f in fields(head) if not OWN.match(f)]
    return from_line + b''.join(kept), body


subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
work = tempfile.mkdtemp(prefix='hamlet-contract-')
store = os.path.join(work, 'store.sqlite')
subprocess.run([HAMLET, 'train', '--db', store, '--spam', os.path.join(ROOT, 'corpus', 'spam'), '--ham',
                os.path.join(ROOT, 'corpus', 'ham')], check=True, stdout=subprocess.DEVNULL)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
broken = 0
for path in files:
    data = open(path, 'rb').read()
    p = subprocess.run([HAMLET, 'filter', '--db', store], input=data, capture_output=True)
    head_in, body_in = expected_prefix(data)
    out_head, out_body = split_header(p.stdout)
    from_line = b''
    if out_head.startswith(b'From '):
        nl = out_head.find(b'\n') + 1
        from_line, out_head = out_head[:nl], out_head[nl:]
    out_fields = fields(out_head)
    added = out_fields[-4:]
    ok = (p.returncode == 0 and not p.stderr and all(OWN.match(f) for f in added)
          and from_line + b''.join(out_fields[:-4]) == head_in and out_body == body_in)
    if ok and b'\r\n' in data.split(b'\n', 1)[0] + b'\n':
        ok = all(f.endswith(b'\r\n') for f in added)
    if not ok:
        broken += 1
        print('contract broken:', os.path.relpath(path, corpus))
print('%d messages through hamlet filter, %d broke the contract' % (len(files), broken))
sys.exit(1 if broken else 0)
