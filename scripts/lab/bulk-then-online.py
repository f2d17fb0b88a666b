#!/usr/bin/env python3
"""How a store does in daily use after a bulk start (TRAIN only, never TEST): `hamlet train` the first half of
spamassassin-train-chrono.index in one go (a full fit), then take the next quarter in date order one message at a
time, each classified and then trained on its own (the incremental steps a user's corrections take). Prints the
1-ROCA% of those classifications. Extra arguments go to the first `hamlet train` (--model, --hidden, ...); other
model settings come from a configuration file (HAMLET_CONFIG=file with `[model]` keys such as `min_df = 1`), which
every train of the run reads.

Usage: scripts/lab/bulk-then-online.py [hamlet train options...]
"""
import os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from roc import one_minus_roca  # noqa: E402
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')


def main():
    index = os.path.join(CORPORA, 'spamassassin-train-chrono.index')
    if not os.path.exists(index):
        sys.exit('needs ../shared/corpora/spamassassin-train-chrono.index')
    entries = [(label, os.path.join(CORPORA, path)) for label, path in (line.split(None, 1) for line in open(index))]
    entries = [(label, path.strip()) for label, path in entries]
    half, quarter = len(entries) // 2, len(entries) // 4
    bulk, later = entries[:half], entries[half:half + quarter]
    with tempfile.TemporaryDirectory() as work:
        store = os.path.join(work, 'store.sqlite')
        env = dict(os.environ, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work)
        spam = [path for label, path in bulk if label == 'spam']
        ham = [path for label, path in bulk if label == 'ham']
        subprocess.run([HAMLET, 'train', '--db', store] + sys.argv[1:] + ['--spam'] + spam + ['--ham'] + ham,
                       check=True, capture_output=True, env=env)
        scores = []
        for label, path in later:
            out = subprocess.run([HAMLET, 'classify', '--db', store, '--format', 'tsv', path], check=True,
                                 capture_output=True, text=True, env=env).stdout
            scores.append((label == 'spam', float(out.rstrip('\n').split('\t')[2])))
            subprocess.run([HAMLET, 'train', '--db', store, '--' + label, path], check=True, capture_output=True, env=env)
    print('bulk fit of %d messages, then %d classified and learned one at a time: 1-ROCA%% %.4f'
          % (len(bulk), len(later), one_minus_roca(scores)))


if __name__ == '__main__':
    main()
