#!/usr/bin/env python3
"""Order and batch check of the learning policy (TRAIN only, never TEST), through the CLI (release build).

TRAIN is split in two by a seeded hash of each message's bytes: part A is taught, part B only scored. A store is
fitted on a random half of part A; the rest of part A is then added in R random orders under each of four
regimes: one batch; batches of 50 grouped by label, ham first; the same, spam first; one message at a time
through `hamlet train -`. At 20, 40, 60, 80 and 100% of each run (for the one-batch regime, at its end), part B is
scored with the store as it is and with a copy refitted by `hamlet retrain`, and compared:
  ham called spam <= refit + 0.2 points, unsure <= refit + 1 point, spam called spam >= refit - 1 point,
  1-ROCA% <= max(1.25 x refit's, refit's + 0.01).
Prints the worst checkpoint of each regime (by how far past the bound it is) and whether all checkpoints hold.

--dump FILE writes every checkpoint's scores (both stores' log-odds of part B, and the store's ham count) as JSON
lines, so that other verdict rules can be checked on them without running the stores again.

Usage: scripts/order-check.py [--orders R] [--seed S] [--no-build] [--jobs J] [--regimes a,b,...] [--dump FILE]
Extra options after -- go to every `hamlet evaluate`/`train` (none by default).
"""
import argparse, hashlib, json, os, random, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from roc import one_minus_roca  # noqa: E402
BUILT = os.path.join(ROOT, '.build', 'release', 'hamlet')
HAMLET = BUILT  # replaced by a private copy, so a rebuild during the run cannot pull it away
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')
REGIMES = ['one-batch', 'ham-first', 'spam-first', 'one-at-a-time']
DUMP = None


def run(*args, stdin=None):
    return subprocess.run([HAMLET] + list(args), check=True, capture_output=True, input=stdin).stdout.decode()


def score(store, index, work, thresholds):
    scores_path = os.path.join(work, 'scores-%d.tsv' % random.getrandbits(40))
    run('evaluate', '--test', index, '--db', store, '--scores', scores_path)
    rows = [line.split('\t') for line in open(scores_path).read().splitlines()]
    os.unlink(scores_path)
    return measures(rows)


def measures(rows):
    """rows: [id, gold, log-odds, verdict]."""
    ham = [r for r in rows if r[1] == 'ham']
    spam = [r for r in rows if r[1] == 'spam']
    return {
        'ham_spam': 100.0 * sum(r[3] == 'spam' for r in ham) / len(ham),
        'unsure': 100.0 * sum(r[3] == 'unsure' for r in rows) / len(rows),
        'spam_spam': 100.0 * sum(r[3] == 'spam' for r in spam) / len(spam),
        'roca': one_minus_roca([(r[1] == 'spam', float(r[2])) for r in rows]),
        'rows': rows,
    }


def excess(now, refit):
    """How far past each bound a checkpoint is (<= 0 everywhere: it holds)."""
    return {
        'ham_spam': now['ham_spam'] - (refit['ham_spam'] + 0.2),
        'unsure': now['unsure'] - (refit['unsure'] + 1.0),
        'spam_spam': (refit['spam_spam'] - 1.0) - now['spam_spam'],
        'roca': now['roca'] - max(1.25 * refit['roca'], refit['roca'] + 0.01),
    }


def checkpoint(store, work, index_b, label):
    copy = os.path.join(work, 'refit-%s.sqlite' % label)
    shutil.copy(store, copy)
    for suffix in ('-wal', '-shm'):
        if os.path.exists(store + suffix):
            shutil.copy(store + suffix, copy + suffix)
    run('retrain', '--db', copy)
    now, refit = score(store, index_b, work, None), score(copy, index_b, work, None)
    now['ham_examples'] = int(re.search(r'(\d+) ham', run('stats', '--db', store)).group(1))
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(copy + suffix):
            os.unlink(copy + suffix)
    return now, refit


def one_run(job):
    regime, order, base, rest, index_b, root = job
    work = tempfile.mkdtemp(dir=root)
    store = os.path.join(work, 'store.sqlite')
    shutil.copy(base, store)
    rng = random.Random(1000 * order + REGIMES.index(regime))
    items = list(rest)
    rng.shuffle(items)
    if regime == 'ham-first':
        items = [i for i in items if i[0] == 'ham'] + [i for i in items if i[0] == 'spam']
    elif regime == 'spam-first':
        items = [i for i in items if i[0] == 'spam'] + [i for i in items if i[0] == 'ham']
    marks = [round(len(items) * k / 5) for k in range(1, 6)]
    results = []
    if regime == 'one-batch':
        spam = [p for label, p in items if label == 'spam']
        ham = [p for label, p in items if label == 'ham']
        run('train', '--db', store, '--spam', *spam, '--ham', *ham)
        results.append((100, checkpoint(store, work, index_b, 'x')))
    else:
        step = 1 if regime == 'one-at-a-time' else 50
        done = 0
        while done < len(items):
            chunk = items[done:done + step]
            if regime != 'one-at-a-time':
                # a batch never crosses a checkpoint, nor a label boundary (grouped by label)
                nxt = min([m for m in marks if m > done] + [len(items)])
                chunk = items[done:min(done + step, nxt)]
                label = chunk[0][0]
                chunk = [c for c in chunk if c[0] == label][:len(chunk)]
                k = 0
                while k < len(chunk) and chunk[k][0] == label:
                    k += 1
                chunk = chunk[:k]
            if regime == 'one-at-a-time':
                label, path = chunk[0]
                run('train', '--db', store, '--' + label, '-', stdin=open(path, 'rb').read())
            else:
                run('train', '--db', store, '--' + chunk[0][0], *[p for _, p in chunk])
            done += len(chunk)
            if done in marks:
                results.append((100 * (marks.index(done) + 1) // 5, checkpoint(store, work, index_b, 'x')))
    shutil.rmtree(work, ignore_errors=True)
    return regime, order, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--orders', type=int, default=10)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--no-build', action='store_true')
    parser.add_argument('--regimes', default=','.join(REGIMES))
    parser.add_argument('--dump')
    args = parser.parse_args()
    global DUMP
    if args.dump:
        DUMP = open(args.dump, 'w')
    if not args.no_build:
        subprocess.run(['swift', 'build', '-c', 'release'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    index = os.path.join(CORPORA, 'spamassassin-train.index')
    if not os.path.exists(index):
        sys.exit('needs ../shared/corpora/spamassassin-train.index')
    entries = []
    for line in open(index):
        label, path = line.split(None, 1)
        path = os.path.join(CORPORA, path.strip())
        digest = hashlib.sha256(b'%d:' % args.seed + open(path, 'rb').read()).digest()
        entries.append((digest[0] & 1, label, path))
    part_a = [(label, path) for side, label, path in entries if side == 0]
    part_b = [(label, path) for side, label, path in entries if side == 1]
    rng = random.Random(args.seed)
    rng.shuffle(part_a)
    first, rest = part_a[:len(part_a) // 2], part_a[len(part_a) // 2:]
    root = tempfile.mkdtemp(prefix='hamlet-order-')
    global HAMLET
    HAMLET = os.path.join(root, 'hamlet')
    shutil.copy(BUILT, HAMLET)
    try:
        index_b = os.path.join(root, 'part-b.index')
        with open(index_b, 'w') as f:
            for label, path in part_b:
                f.write('%s %s\n' % (label, path))
        base = os.path.join(root, 'base.sqlite')
        run('train', '--db', base, '--spam', *[p for l, p in first if l == 'spam'], '--ham', *[p for l, p in first if l == 'ham'])
        print('part A %d (first fit %d, then %d added), part B %d scored; %d orders x %s'
              % (len(part_a), len(first), len(rest), len(part_b), args.orders, args.regimes), flush=True)
        jobs = [(regime, order, base, rest, index_b, root) for regime in args.regimes.split(',') for order in range(args.orders)]
        worst = {}
        failing = 0
        total = 0
        with ThreadPoolExecutor(args.jobs) as pool:
            for regime, order, results in pool.map(one_run, jobs):
                run_worst = -1e9
                for percent, (now, refit) in results:
                    if DUMP:
                        DUMP.write(json.dumps({
                            'regime': regime, 'order': order, 'percent': percent, 'ham_examples': now['ham_examples'],
                            'gold': [r[1] for r in now['rows']], 'now': [float(r[2]) for r in now['rows']],
                            'refit': [float(r[2]) for r in refit['rows']]}) + '\n')
                    total += 1
                    over = excess(now, refit)
                    bad = max(over.values())
                    run_worst = max(run_worst, bad)
                    failing += bad > 1e-9
                    if regime not in worst or bad > worst[regime][0]:
                        worst[regime] = (bad, order, percent, now, refit)
                print('%s order %d: %d checkpoints, worst excess %.4f %s' % (regime, order, len(results), run_worst,
                      '(holds)' if run_worst <= 1e-9 else 'FAILS'), flush=True)
        print('| regime | worst checkpoint (order, %) | ham called spam % (refit) | unsure % (refit) | spam called spam % (refit) | 1-ROCA% (refit) |')
        print('|---|---|---|---|---|---|')
        for regime in args.regimes.split(','):
            if regime not in worst:
                continue
            bad, order, percent, now, refit = worst[regime]
            print('| %s | %d, %d%%%s | %.3f (%.3f) | %.2f (%.2f) | %.2f (%.2f) | %.4f (%.4f) |'
                  % (regime, order, percent, '' if bad <= 1e-9 else ' FAILS', now['ham_spam'], refit['ham_spam'],
                     now['unsure'], refit['unsure'], now['spam_spam'], refit['spam_spam'], now['roca'], refit['roca']))
        print('%d checkpoints, %d outside the bounds' % (total, failing))
        sys.exit(1 if failing else 0)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    main()
