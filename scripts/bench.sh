#!/usr/bin/env bash
# Side by side speed of Hamlet and bogofilter on the SpamAssassin corpus, release build, this machine. Each
# measurement alternates the two programs, ROUNDS times (median reported), so a noisy neighbour hits both alike.
# Prints a table to paste into docs/BENCHMARKS.md. Usage: scripts/bench.sh [FILTER_RUNS=200] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
rounds=${2:-3}
corpus=../shared/corpora/spamassassin
command -v bogofilter >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bogofilter >/dev/null; }
swift build -c release --static-swift-stdlib 2>&1 | tail -n 1
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
./.build/release/hamlet bench $corpus --passes 5 | sed 's/^/hamlet bench: /'
python3 - "$PWD/.build/release/hamlet" "$corpus" "$runs" "$rounds" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time
hamlet, corpus, runs, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
spam = [os.path.join(corpus, d) for d in ('spam', 'spam_2')]
ham = [os.path.join(corpus, d) for d in ('easy_ham', 'easy_ham_2', 'hard_ham')]
def files(folders):
    return sorted(os.path.join(d, f) for folder in folders for d, _, fs in os.walk(folder) for f in fs)
all_files = files([corpus])
n = len(all_files)
work = tempfile.mkdtemp(prefix='hamlet-bench-')
one = ['taskset', '-c', '0']

def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=kw.pop('check', True), **kw)
    return time.perf_counter() - start

def bogofilter_register(wordlist):
    for label, folders in (('-s', spam), ('-n', ham)):
        names = files(folders)
        for i in range(0, len(names), 500):
            subprocess.run(one + ['bogofilter', '-d', wordlist, label, '-B'] + names[i:i + 500], check=True)

results = {k: [] for k in ('h_train', 'h_train_all', 'b_train', 'h_classify', 'b_classify', 'h_jobs')}
same_output = True
for r in range(rounds):
    store = os.path.join(work, 'h%d.sqlite' % r)
    results['h_train'].append(n / timed(one + [hamlet, 'train', '--db', store, '--jobs', '1', '--spam'] + spam + ['--ham'] + ham,
                                        stdout=subprocess.DEVNULL))
    store_all = os.path.join(work, 'all%d.sqlite' % r)
    results['h_train_all'].append(n / timed([hamlet, 'train', '--db', store_all, '--spam'] + spam + ['--ham'] + ham,
                                            stdout=subprocess.DEVNULL))
    wordlist = os.path.join(work, 'bogo%d' % r); os.makedirs(wordlist)
    start = time.perf_counter(); bogofilter_register(wordlist); results['b_train'].append(n / (time.perf_counter() - start))
    with open(os.path.join(work, 'one.tsv'), 'w') as out:
        results['h_classify'].append(n / timed(one + [hamlet, 'classify', '--db', store, '--jobs', '1', '--format', 'tsv', corpus], stdout=out))
    start = time.perf_counter()
    for i in range(0, n, 500):
        subprocess.run(one + ['bogofilter', '-d', wordlist, '-t', '-B'] + all_files[i:i + 500], stdout=subprocess.DEVNULL)
    results['b_classify'].append(n / (time.perf_counter() - start))
    with open(os.path.join(work, 'jobs.tsv'), 'w') as out:
        results['h_jobs'].append(n / timed([hamlet, 'classify', '--db', store, '--jobs', str(os.cpu_count()), '--format', 'tsv', corpus], stdout=out))
    same_output = same_output and open(os.path.join(work, 'one.tsv')).read() == open(os.path.join(work, 'jobs.tsv')).read()
med = {k: statistics.median(v) for k, v in results.items()}
print('train %d messages: hamlet one core %.0f/s, all %d cores %.0f/s; bogofilter (one core) %.0f/s (ratios %.2f and %.2f)' % (
    n, med['h_train'], os.cpu_count(), med['h_train_all'], med['b_train'], med['h_train'] / med['b_train'], med['h_train_all'] / med['b_train']))
print('classify, one core: hamlet %.0f/s, bogofilter %.0f/s (ratio %.2f); hamlet --jobs %d %.0f/s = %.2fx its one core (output %s)' % (
    med['h_classify'], med['b_classify'], med['h_classify'] / med['b_classify'], os.cpu_count(), med['h_jobs'],
    med['h_jobs'] / med['h_classify'], 'identical' if same_output else 'DIFFERENT'))
message = open(all_files[99], 'rb').read()
store, wordlist = os.path.join(work, 'h0.sqlite'), os.path.join(work, 'bogo0')
h_times, b_times = [], []
for _ in range(runs):  # alternating, one process at a time
    start = time.perf_counter(); subprocess.run([hamlet, 'filter', '--db', store], input=message, stdout=subprocess.DEVNULL); h_times.append(time.perf_counter() - start)
    start = time.perf_counter(); subprocess.run(['bogofilter', '-d', wordlist, '-p'], input=message, stdout=subprocess.DEVNULL); b_times.append(time.perf_counter() - start)
h, b = 1000 * statistics.median(h_times), 1000 * statistics.median(b_times)
print('filter one message, process start to exit, median of %d: hamlet %.1f ms, bogofilter %.1f ms (ratio %.2f)' % (runs, h, b, h / b))
filtered = subprocess.run([hamlet, 'filter', '--db', store], input=message, capture_output=True).stdout.decode()
classified = subprocess.run([hamlet, 'classify', '--db', store, '--format', 'json', all_files[99]], capture_output=True).stdout.decode()
import json, re
p_filter = float(re.search(r'X-Hamlet-Verdict: \w+; p=([0-9.]+)', filtered).group(1))
p_classify = json.loads(classified)['p_spam']
print('filter and classify agree on that message: p(spam) %.3f and %.6f' % (p_filter, p_classify))
subprocess.run([hamlet, 'db', 'vacuum', '--db', store], check=True, stdout=subprocess.DEVNULL)
print('store after vacuum: hamlet %d KB (1 model version), bogofilter wordlist %d KB' % (
    os.path.getsize(store) // 1024, os.path.getsize(os.path.join(wordlist, 'wordlist.db')) // 1024))
shutil.rmtree(work)
PY
