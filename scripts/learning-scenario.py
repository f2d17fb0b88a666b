#!/usr/bin/env python3
"""The ordinary-use learning scenario, end to end through the CLI (release build; whole folders of
the SpamAssassin corpus in ../shared): a store fitted on the first 1,000 easy_ham and the first 300 spam, then
 (a) the first 300 spam_2 taught with one plain `hamlet train --spam`, compared with `hamlet retrain` of that store;
 (b) the first 20 spam_2 taught one at a time (`hamlet train --spam -`, as the imapsieve and mutt recipes do),
     compared with `hamlet retrain` of that store.
Each store is scored on the 1,650 held-out ham (easy_ham_2 and hard_ham): how many are called spam.
Usage: scripts/learning-scenario.py [--no-build] [--json]
"""
import json, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')


def folder(name, count=None):
    files = sorted(os.path.join(CORPUS, name, f) for f in os.listdir(os.path.join(CORPUS, name)))
    return files[:count] if count else files


def run(*args, stdin=None):
    return subprocess.run([HAMLET] + list(args), check=True, capture_output=True, input=stdin).stdout.decode()


def ham_called_spam(store, work):
    out = run('classify', '--db', store, '--format', 'tsv', os.path.join(work, 'heldout'))
    return sum(1 for line in out.splitlines() if line.split('\t')[1] == 'spam')


def main():
    if '--no-build' not in sys.argv:
        subprocess.run(['swift', 'build', '-c', 'release'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not os.path.isdir(CORPUS):
        sys.exit('needs ../shared/corpora/spamassassin')
    work = tempfile.mkdtemp(prefix='hamlet-scenario-')
    try:
        heldout = os.path.join(work, 'heldout')
        os.mkdir(heldout)
        for path in folder('easy_ham_2') + folder('hard_ham'):
            os.symlink(path, os.path.join(heldout, os.path.basename(os.path.dirname(path)) + '-' + os.path.basename(path)))
        first = os.path.join(work, 'first.sqlite')
        run('train', '--db', first, '--ham', *folder('easy_ham', 1000), '--spam', *folder('spam', 300))
        results = {'heldout_ham': 1650, 'first': ham_called_spam(first, work)}
        batch = os.path.join(work, 'batch.sqlite')
        shutil.copy(first, batch)
        said = run('train', '--db', batch, '--spam', *folder('spam_2', 300))
        results['batch_said'] = said.strip().splitlines()[-1]
        results['batch'] = ham_called_spam(batch, work)
        run('retrain', '--db', batch)
        results['batch_retrained'] = ham_called_spam(batch, work)
        single = os.path.join(work, 'single.sqlite')
        shutil.copy(first, single)
        said = []
        for path in folder('spam_2', 20):
            said.append(run('train', '--db', single, '--spam', '-', stdin=open(path, 'rb').read()).strip().splitlines()[-1])
        results['single_said'] = said[-1]
        results['single'] = ham_called_spam(single, work)
        run('retrain', '--db', single)
        results['single_retrained'] = ham_called_spam(single, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if '--json' in sys.argv:
        print(json.dumps(results))
        return
    print('first store (1,000 easy_ham, 300 spam): %d of 1,650 held-out ham called spam' % results['first'])
    print('+300 spam_2 in one train: %d; after retrain: %d  (%s)' % (results['batch'], results['batch_retrained'], results['batch_said']))
    print('+20 spam_2 one at a time: %d; after retrain: %d  (%s)' % (results['single'], results['single_retrained'], results['single_said']))
    ok = abs(results['batch'] - results['batch_retrained']) <= 3 and abs(results['single'] - results['single_retrained']) <= 3
    print('within 0.2 points (3 messages) of a refit: %s' % ('yes' if ok else 'NO'))
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
