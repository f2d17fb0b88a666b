#!/usr/bin/env python3
"""Stress Hamlet's store the way a mail server does, with a release build.

  scripts/store-stress.py concurrency [--filters 8] [--messages 200] [--train 1000]
      N processes each run `hamlet filter` on M messages, one at a time, while another process trains T
      messages and then retrains. Every filtered output must equal its input minus earlier X-Spam-*/X-Hamlet-*
      fields plus Hamlet's four fields, and no process may report an error, "locked" or "busy".

  scripts/store-stress.py crash [--runs 20]
      Kills `hamlet train` or `hamlet retrain` with SIGKILL at a random moment, then checks
      PRAGMA integrity_check, `hamlet db check`, and that `hamlet filter` scores with the last committed model.

  scripts/store-stress.py writers [--rounds 3]
      On a store of the whole corpus, one process loops relabel, forget, retrain, db vacuum and db prune while
      `train --full` and a 1,000-message `train` run in turn; a probe takes the write lock (BEGIN IMMEDIATE;
      COMMIT) every 50 ms throughout. No writer may exit 75 (every one waits its turn within the busy
      timeout), and the probe's longest wait during each command is printed: it must stay under 1 s.

Messages come from ../shared/corpora/spamassassin. Prints one summary line per check and exits non-zero on failure.
"""
import argparse, os, random, re, shutil, signal, sqlite3, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract import violation  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')


def build():
    subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def corpus_files():
    files = []
    for folder in sorted(os.listdir(CORPUS)):
        for name in sorted(os.listdir(os.path.join(CORPUS, folder))):
            files.append((folder.startswith('spam'), os.path.join(CORPUS, folder, name)))
    return files


def concurrency(args):
    build()
    files = corpus_files()
    rng = random.Random(6)
    rng.shuffle(files)
    work = tempfile.mkdtemp(prefix='hamlet-stress-')
    store = os.path.join(work, 'store.sqlite')
    env = dict(os.environ, HAMLET_DB=store, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work)
    # A first model so that filters have something to score with.
    seed_spam = os.path.join(work, 'seed-spam'); seed_ham = os.path.join(work, 'seed-ham')
    os.makedirs(seed_spam); os.makedirs(seed_ham)
    for is_spam, path in files[:300]:
        shutil.copy(path, seed_spam if is_spam else seed_ham)
    subprocess.run([HAMLET, 'train', '--spam', seed_spam, '--ham', seed_ham], env=env, check=True, stdout=subprocess.DEVNULL)
    train_spam = os.path.join(work, 'train-spam'); train_ham = os.path.join(work, 'train-ham')
    os.makedirs(train_spam); os.makedirs(train_ham)
    for is_spam, path in files[300:300 + args.train]:
        shutil.copy(path, train_spam if is_spam else train_ham)
    pool = [p for _, p in files[300 + args.train:]]
    script = os.path.join(work, 'filter-loop.py')
    with open(script, 'w') as f:
        f.write(FILTER_LOOP)
    start = time.time()
    trainer = subprocess.Popen(['sh', '-c', '"$0" train --spam "$1" --ham "$2" && "$0" retrain', HAMLET, train_spam, train_ham],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    filters = []
    for n in range(args.filters):
        chosen = [pool[(n * args.messages + k) % len(pool)] for k in range(args.messages)]
        listing = os.path.join(work, 'list-%d' % n)
        with open(listing, 'w') as f:
            f.write('\n'.join(chosen))
        filters.append(subprocess.Popen([sys.executable, script, HAMLET, listing], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    failures = 0
    outputs = []
    for p in filters:
        out, err = p.communicate()
        outputs.append(out.decode())
        if p.returncode != 0:
            failures += 1
            sys.stderr.write(err.decode()[-2000:])
    t_out, t_err = trainer.communicate()
    elapsed = time.time() - start
    problems = sum(int(line.split()[1]) for out in outputs for line in out.splitlines() if line.startswith('problems'))
    checked = sum(int(line.split()[1]) for out in outputs for line in out.splitlines() if line.startswith('checked'))
    busy = sum(out.count('busy') + out.count('locked') for out in outputs) + t_err.decode().count('locked')
    print('concurrency: %d filter processes x %d messages (%d checked) while training %d and retraining: '
          '%d altered or lost, %d failed processes, %d busy/locked, trainer exit %d, %.1f s'
          % (args.filters, args.messages, checked, args.train, problems, failures, busy, trainer.returncode, elapsed))
    print('trainer: ' + t_out.decode().strip().replace('\n', ' | '))
    shutil.rmtree(work)
    return 0 if problems == 0 and failures == 0 and busy == 0 and trainer.returncode == 0 and checked == args.filters * args.messages else 1


FILTER_LOOP = r'''
import subprocess, sys
sys.path.insert(0, %r)
from contract import violation
hamlet, listing = sys.argv[1], sys.argv[2]
problems = checked = 0
for path in open(listing).read().split('\n'):
    original = open(path, 'rb').read()
    p = subprocess.run([hamlet, 'filter'], input=original, capture_output=True)
    checked += 1
    why = violation(original, p.stdout) if p.returncode == 0 else 'exit %%d' %% p.returncode
    if p.stderr:
        why = (why or '') + ' stderr: ' + p.stderr.decode(errors='replace')[:200]
    if why:
        problems += 1
        print('problem', path, why)
print('checked', checked)
print('problems', problems)
''' % os.path.dirname(os.path.abspath(__file__))


def crash(args):
    build()
    files = corpus_files()
    rng = random.Random(9)
    work = tempfile.mkdtemp(prefix='hamlet-crash-')
    store = os.path.join(work, 'store.sqlite')
    env = dict(os.environ, HAMLET_DB=store, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work)
    spam = [p for s, p in files if s]; ham = [p for s, p in files if not s]
    subprocess.run([HAMLET, 'train', '--spam'] + spam[:100] + ['--ham'] + ham[:100], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    probe = ham[-1]
    # How long an uninterrupted run of each kind takes, so that kills land inside the runs.
    t0 = time.time()
    subprocess.run([HAMLET, 'train', '--spam'] + spam[100:400] + ['--ham'] + ham[100:400], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    train_time = time.time() - t0
    t0 = time.time()
    subprocess.run([HAMLET, 'retrain'], env=env, check=True, stdout=subprocess.DEVNULL)
    retrain_time = time.time() - t0
    failures = 0
    killed = 0
    for run in range(args.runs):
        db = sqlite3.connect(store)
        committed = db.execute('SELECT max(id) FROM models').fetchone()[0]
        db.close()
        if run % 2 == 0:
            batch_spam = rng.sample(spam, 300); batch_ham = rng.sample(ham, 300)
            cmd = [HAMLET, 'train', '--spam'] + batch_spam + ['--ham'] + batch_ham
            if run % 4 == 0:
                cmd.append('--full')
        else:
            cmd = [HAMLET, 'retrain']
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.005, 0.9 * (retrain_time if cmd[1] == 'retrain' else train_time)))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        db = sqlite3.connect(store)
        integrity = db.execute('PRAGMA integrity_check').fetchone()[0]
        latest = db.execute('SELECT max(id) FROM models').fetchone()[0]
        db.close()
        check = subprocess.run([HAMLET, 'db', 'check'], env=env, capture_output=True)
        filtered = subprocess.run([HAMLET, 'filter'], input=open(probe, 'rb').read(), env=env, capture_output=True)
        model = re.search(rb'model=(\d+)', filtered.stdout)
        ok = (integrity == 'ok' and check.returncode == 0 and model is not None and int(model.group(1)) == latest
              and latest >= committed)
        if not ok:
            failures += 1
            print('run %d: integrity=%s check=%s model=%s latest=%s' % (run, integrity, check.stdout.decode().strip(),
                                                                         model and model.group(1), latest))
    print('crash: %d runs (train %.2f s, retrain %.2f s when not killed), %d killed mid-run, %d failures '
          '(integrity_check, db check, filter on the last committed model)'
          % (args.runs, train_time, retrain_time, killed, failures))
    shutil.rmtree(work)
    return 0 if failures == 0 else 1


class LockProbe:
    """Takes the store's write lock every 50 ms from its own connection and records each wait."""

    def __init__(self, path):
        import threading
        self.path, self.waits, self.stop = path, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        while not self.stop.is_set():
            start = time.monotonic()
            db.execute('BEGIN IMMEDIATE')
            db.execute('COMMIT')
            self.waits.append((start, time.monotonic() - start))
            time.sleep(0.05)
        db.close()

    def longest(self, start, end):
        return max([w for t, w in self.waits if start <= t <= end] + [0.0])


def writers(args):
    build()
    files = corpus_files()
    work = tempfile.mkdtemp(prefix='hamlet-writers-')
    store = os.path.join(work, 'store.sqlite')
    env = dict(os.environ, HAMLET_DB=store, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work)
    spam = [p for s, p in files if s]
    ham = [p for s, p in files if not s]
    subprocess.run([HAMLET, 'train', '--spam'] + spam + ['--ham'] + ham, env=env, check=True, stdout=subprocess.DEVNULL)
    probe = LockProbe(store)
    stop = [False]
    loop_log = []

    def maintenance():
        rng = random.Random(7)
        while not stop[0]:
            message = rng.choice(ham[1000:])  # never one of the messages the 1,000-message train forgets and relearns
            for command in (['relabel', '--as', 'spam', message], ['relabel', '--as', 'ham', message],
                            ['forget', message], ['train', '--ham', message], ['retrain'], ['db', 'vacuum'],
                            ['db', 'prune']):
                if stop[0]:
                    break
                start = time.monotonic()
                p = subprocess.run([HAMLET] + command, env=env, capture_output=True, text=True)
                loop_log.append((' '.join(command[:2]) if command[0] == 'db' else command[0], p.returncode,
                                 p.stderr.strip(), start, time.monotonic()))

    import threading
    loop = threading.Thread(target=maintenance, daemon=True)
    loop.start()
    results = []
    extra = ham[:1000]
    # The 1,000-message train must learn: its messages leave the store first (and again after each round).
    subprocess.run([HAMLET, 'forget'] + spam[:200] + extra[200:1000], env=env, capture_output=True)
    for round_ in range(args.rounds):
        for name, command in (('train --full', ['train', '--full', '--ham', ham[0]]),
                              ('train 1,000', ['train', '--spam'] + spam[:200] + ['--ham'] + extra[200:1000])):
            start = time.monotonic()
            p = subprocess.run([HAMLET] + command, env=env, capture_output=True, text=True)
            end = time.monotonic()
            results.append((name, p.returncode, p.stderr.strip(), end - start, probe.longest(start, end)))
            if name == 'train 1,000':
                subprocess.run([HAMLET, 'forget'] + spam[:200] + extra[200:1000], env=env, capture_output=True)
    stop[0] = True
    loop.join()
    probe.stop.set()
    probe.thread.join()
    failed = 0
    for name, status, err, seconds, longest in results:
        failed += status != 0
        print('%-14s exit %d, %.2f s, probe waited at most %.3f s %s' % (name, status, seconds, longest, err[:120]))
    by_command = {}
    for name, status, err, start, end in loop_log:
        entry = by_command.setdefault(name, [0, 0, 0.0])
        entry[0] += 1
        entry[1] += status != 0
        entry[2] = max(entry[2], probe.longest(start, end))
        if status != 0:
            print('  %s exit %d: %s' % (name, status, err[:160]))
    for name, (runs, bad, longest) in sorted(by_command.items()):
        failed += bad
        print('%-14s %d runs, %d failed, probe waited at most %.3f s' % (name, runs, bad, longest))
    slowest = max(w for _, w in probe.waits)
    print('probe: %d lock takes, longest wait %.3f s; writers failed: %d' % (len(probe.waits), slowest, failed))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed or slowest >= 1.0 else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='mode', required=True)
    c = sub.add_parser('concurrency')
    c.add_argument('--filters', type=int, default=8)
    c.add_argument('--messages', type=int, default=200)
    c.add_argument('--train', type=int, default=1000)
    k = sub.add_parser('crash')
    k.add_argument('--runs', type=int, default=20)
    w = sub.add_parser('writers')
    w.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    sys.exit({'concurrency': concurrency, 'crash': crash, 'writers': writers}[args.mode](args))


if __name__ == '__main__':
    main()
