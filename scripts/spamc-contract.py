#!/usr/bin/env python3
"""Every SpamAssassin corpus message through Debian's real spamc asking hamlet-serve (release build), against
`hamlet filter` on the same store: PROCESS output byte for byte, and `spamc -c`'s exit status (1 for spam) against
the verdict. A store trained on TRAIN; every corpus message scored. Prints the counts that differ (0 is the goal).
Usage: scripts/spamc-contract.py [--limit N]"""
import argparse, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, '.build', 'release')
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--limit', type=int, default=0)
    args = parser.parse_args()
    subprocess.run(['swift', 'build', '-c', 'release'], cwd=ROOT, check=True, capture_output=True)
    train = [line.split(None, 1) for line in open(os.path.join(CORPORA, 'spamassassin-train.index'))]
    messages = sorted(os.path.join(dirpath, name) for folder in ['easy_ham', 'easy_ham_2', 'hard_ham', 'spam', 'spam_2']
                      for dirpath, _, names in os.walk(os.path.join(CORPORA, 'spamassassin', folder)) for name in names)
    if args.limit:
        messages = messages[:args.limit]
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work, HOME=work)
        store, socket = os.path.join(work, 'store.sqlite'), os.path.join(work, 's.sock')
        spam = [os.path.join(CORPORA, p.strip()) for label, p in train if label == 'spam']
        ham = [os.path.join(CORPORA, p.strip()) for label, p in train if label == 'ham']
        subprocess.run([os.path.join(BIN, 'hamlet'), 'train', '--db', store, '--spam'] + spam + ['--ham'] + ham,
                       check=True, capture_output=True, env=env)
        server = subprocess.Popen([os.path.join(BIN, 'hamlet-serve'), '--socket', socket, '--db', store],
                                  env=env, stderr=subprocess.DEVNULL)
        try:
            while not os.path.exists(socket):
                time.sleep(0.05)
            differ, status_wrong, spam_count = 0, 0, 0
            for path in messages:
                data = open(path, 'rb').read()
                filtered = subprocess.run([os.path.join(BIN, 'hamlet'), 'filter', '--db', store, '--exit-code'],
                                          input=data, capture_output=True, env=env)
                processed = subprocess.run(['spamc', '-U', socket, '-x'], input=data, capture_output=True, env=env)
                if processed.stdout != filtered.stdout or processed.returncode != 0:
                    differ += 1
                    print('differs: %s' % path, file=sys.stderr)
                checked = subprocess.run(['spamc', '-U', socket, '-c', '-x'], input=data, capture_output=True, env=env)
                is_spam = filtered.returncode == 0
                spam_count += is_spam
                if checked.returncode != (1 if is_spam else 0):
                    status_wrong += 1
                    print('spamc -c disagrees: %s' % path, file=sys.stderr)
        finally:
            server.terminate()
            server.wait()
    print('%d messages (%d spam): PROCESS output differing from hamlet filter: %d; spamc -c status wrong: %d'
          % (len(messages), spam_count, differ, status_wrong))
    sys.exit(1 if differ or status_wrong else 0)


if __name__ == '__main__':
    main()
