#!/usr/bin/env python3
"""A TRAIN-only check that a setting does not lean on this corpus's headers.

The SpamAssassin ham came through a few mailing lists and one collector's servers, so header tokens can learn
the collector rather than spam, and even the folder shift (scripts/lab/folder-shift.py) keeps that collector on both
sides. This writes a copy of the TRAIN messages into a temporary folder with every header field removed except
Subject and the MIME fields (MIME-Version, Content-Type, Content-Transfer-Encoding), as corpora distributed
without their headers are, and measures on it: 5-fold cross-validation (seeds 1-3) and the folder shift both ways
(seeds 1-3). TEST messages are never read. Extra arguments go to `hamlet evaluate` (model options such as
--normalize whole).

Usage: scripts/lab/header-stripped.py [hamlet evaluate options...]
"""
import os, re, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')
KEPT = {b'subject', b'mime-version', b'content-type', b'content-transfer-encoding'}
OLDER = ('easy_ham', 'hard_ham', 'spam')
SEEDS = (1, 2, 3)
BLANK_LINE = re.compile(rb'\r?\n\r?\n')
LINE_END = re.compile(rb'\r?\n')


def stripped(message):
    """The message with only the kept header fields (folded lines kept with their field), then its body."""
    end = BLANK_LINE.search(message)
    head, body = (message[:end.start()], message[end.end():]) if end else (message, b'')
    fields = []
    for line in LINE_END.split(head):
        if not fields and line.startswith(b'From '):
            continue  # the mbox separator line
        if line[:1] in (b' ', b'\t') and fields:
            fields[-1] += b'\n' + line
        else:
            fields.append(line)
    kept = [field for field in fields if field.split(b':', 1)[0].strip().lower() in KEPT]
    return b'\n'.join(kept) + b'\n\n' + body


def figure(args):
    out = subprocess.run([HAMLET, 'evaluate'] + args + sys.argv[1:], check=True, capture_output=True, text=True).stdout
    return float(dict(line.split(None, 1) for line in out.splitlines() if line.strip())['1-ROCA%'].split()[0])


def main():
    train = os.path.join(CORPORA, 'spamassassin-train.index')
    if not os.path.exists(train):
        sys.exit('needs ../shared/corpora/spamassassin-train.index')
    entries = [line.split(None, 1) for line in open(train) if line.strip()]
    with tempfile.TemporaryDirectory() as work:
        older, newer = [], []
        for label, path in entries:
            path = path.strip()
            with open(os.path.join(CORPORA, path), 'rb') as source:
                message = source.read()
            copy = os.path.join(work, path)
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            with open(copy, 'wb') as out:
                out.write(stripped(message))
            (older if path.split('/')[1] in OLDER else newer).append('%s %s\n' % (label, path))
        for name, lines in (('all', older + newer), ('older', older), ('newer', newer)):
            with open(os.path.join(work, name + '.index'), 'w') as f:
                f.writelines(lines)
        index = lambda name: os.path.join(work, name + '.index')
        cv = [figure(['--train', index('all'), '--folds', '5', '--seed', str(seed)]) for seed in SEEDS]
        forward = [figure(['--train', index('older'), '--test', index('newer'), '--seed', str(s)]) for s in SEEDS]
        backward = [figure(['--train', index('newer'), '--test', index('older'), '--seed', str(s)]) for s in SEEDS]
    print('headers stripped to Subject and MIME fields: 5-fold CV 1-ROCA%% %.4f; folder shift older -> newer %.4f, '
          'newer -> older %.4f (means over seeds 1-3)' % (statistics.mean(cv), statistics.mean(forward),
                                                         statistics.mean(backward)))


if __name__ == '__main__':
    main()
