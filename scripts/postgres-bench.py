"""The measurements of scripts/postgres-bench.sh, which starts the server: see there."""
import os, socket, statistics, subprocess, sys, tempfile, time

bin_dir, corpus, url, work, rounds, load_seconds = sys.argv[1:7]
rounds, load_seconds = int(rounds), int(load_seconds)
hamlet = os.path.join(bin_dir, 'hamlet')
socket_dir = url.split('host=')[1]
environment = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, 'config'), XDG_DATA_HOME=os.path.join(work, 'data-home'))
environment.pop('HAMLET_DB', None)
spam_folders = ['spam', 'spam_2']
ham_folders = ['easy_ham', 'easy_ham_2', 'hard_ham']


def files(folder):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(corpus, folder)) for f in fs)


def run(arguments, user='bench', **kw):
    return subprocess.run([hamlet] + arguments, env=dict(environment, HAMLET_USER=user), check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw).stdout.decode()


def timed(arguments, user='bench'):
    start = time.perf_counter()
    run(arguments, user)
    return time.perf_counter() - start


def train_arguments(store):
    return (['train', '--db', store] + [a for f in spam_folders for a in ('--spam', os.path.join(corpus, f))]
            + [a for f in ham_folders for a in ('--ham', os.path.join(corpus, f))])


def psql(sql):
    return subprocess.run(['psql', '-h', socket_dir, '-U', 'hamlet', '-d', 'postgres', '-AtX', '-c', sql],
                          check=True, stdout=subprocess.PIPE).stdout.decode()


print('server: fsync %s, synchronous_commit %s' % (psql('SHOW fsync').strip(), psql('SHOW synchronous_commit').strip()))

# 1. Four trainers at once, a quarter of the corpus each.
quarters = []
everything = [(label, folder, path) for label, folders in (('spam', spam_folders), ('ham', ham_folders))
              for folder in folders for path in files(folder)]
everything.sort(key=lambda item: item[2])
for q in range(4):
    for label in ('spam', 'ham'):
        os.makedirs(os.path.join(work, 'q%d' % q, label))
    quarters.append(os.path.join(work, 'q%d' % q))
for i, (label, folder, path) in enumerate(everything):
    os.symlink(path, os.path.join(quarters[i % 4], label, folder + '-' + os.path.basename(path)))
start = time.perf_counter()
trainers = [subprocess.Popen([hamlet, 'train', '--db', url, '--spam', os.path.join(q, 'spam'), '--ham', os.path.join(q, 'ham')],
                             env=dict(environment, HAMLET_USER='four'), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for q in quarters]
failures = [t.stderr.read().decode() for t in trainers if t.wait() != 0]
four_seconds = time.perf_counter() - start
stored = psql("SELECT count(*), count(*) FILTER (WHERE is_spam) FROM hamlet_examples WHERE owner = 'four'").strip()
check = subprocess.run([hamlet, 'db', 'check', '--db', url], env=dict(environment, HAMLET_USER='four'),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
single = os.path.join(work, 'single.sqlite')
run(train_arguments(single))
server_counts = psql("SELECT token, spam_count, ham_count FROM hamlet_tokens WHERE owner = 'four' ORDER BY token COLLATE \"C\"")
file_counts = subprocess.run(['sqlite3', '-separator', '|', single, 'SELECT token, spam_count, ham_count FROM tokens ORDER BY token'],
                             check=True, stdout=subprocess.PIPE).stdout.decode()
server_rows, file_rows = server_counts.splitlines(), file_counts.splitlines()
differing = len(set(server_rows) ^ set(file_rows))
run(['retrain', '--db', url], user='four')
run(['retrain', '--db', single])
all_folders = [os.path.join(corpus, f) for f in spam_folders + ham_folders]
on_server = run(['classify', '--db', url, '--format', 'tsv'] + all_folders, user='four')
in_file = run(['classify', '--db', single, '--format', 'tsv'] + all_folders)
print('four trainers at once: %.1f s, %s; examples stored (all, spam): %s; db check: %s' % (
    four_seconds, 'all exited 0' if not failures else '%d failed: %s' % (len(failures), failures[0][:200]),
    stored.replace('|', ', '), 'ok' if check.returncode == 0 else 'FAILED: ' + check.stdout.decode()[:300]))
print('document counts: %d tokens on the server, %d in the single-process SQLite store, %d rows differ' % (
    len(server_rows), len(file_rows), differing))
print('after retrain, classify of %d messages: %s' % (
    len(on_server.splitlines()), 'identical output' if on_server == in_file else
    '%d lines differ' % sum(a != b for a, b in zip(on_server.splitlines(), in_file.splitlines()))))


# 1b. `db copy` of the single-process store onto the server and back: the time each way, and the exports.
def export(store, user='bench'):
    return run(['db', 'export', '--db', store], user)


copy_url = url + '&hamlet_user=copy'
start = time.perf_counter()
run(['db', 'copy', single, copy_url])
there = time.perf_counter() - start
back = os.path.join(work, 'back.sqlite')
start = time.perf_counter()
run(['db', 'copy', copy_url, back])
again = time.perf_counter() - start
print('db copy SQLite -> PostgreSQL: %.1f s; back: %.1f s; exports of original and copy of the copy: %s' % (
    there, again, 'identical' if export(single) == export(back) else 'DIFFERENT'))


# 2. Speed, alternating the backends.
def daemon_rate(store, user, name):
    sock = os.path.join(work, name + '.sock')
    daemon = subprocess.Popen([os.path.join(bin_dir, 'hamlet-serve'), '--socket', sock, '--db', store],
                              env=dict(environment, HAMLET_USER=user), stderr=subprocess.DEVNULL)
    try:
        while not os.path.exists(sock):
            time.sleep(0.05)
        listing = os.path.join(work, 'load-files')
        with open(listing, 'w') as out:
            out.write('\n'.join(p for _, _, p in everything))
        output = subprocess.run([os.path.join(bin_dir, 'hamlet-load'), '--socket', sock, '--files', listing,
                                 '--connections', '4', '--seconds', str(load_seconds)],
                                stdout=subprocess.PIPE).stdout.decode()
        words = output.split()
        errors = int(words[words.index('errors;') - 1])
        return int(words[words.index('a') - 1]), errors, output.strip()
    finally:
        daemon.terminate()
        daemon.wait()


results = {key: [] for key in ('sqlite_train', 'pg_train', 'sqlite_classify', 'pg_classify', 'sqlite_serve', 'pg_serve')}
errors = 0
count = len(everything)
for r in range(rounds):
    store = os.path.join(work, 'speed%d.sqlite' % r)
    user = 'speed%d' % r
    results['sqlite_train'].append(timed(train_arguments(store)))
    results['pg_train'].append(timed(train_arguments(url), user=user))
    results['sqlite_classify'].append(count / timed(['classify', '--db', store, '--format', 'tsv'] + all_folders))
    results['pg_classify'].append(count / timed(['classify', '--db', url, '--format', 'tsv'] + all_folders, user=user))
    for backend, location in (('sqlite', store), ('pg', url)):
        rate, failed, line = daemon_rate(location, user, '%s%d' % (backend, r))
        results[backend + '_serve'].append(rate)
        errors += failed
        print('round %d %s daemon: %s' % (r + 1, backend, line))
median = {key: statistics.median(values) for key, values in results.items()}
print()
print('| measure (median of %d) | SQLite | PostgreSQL | ratio |' % rounds)
print('|---|---:|---:|---:|')
print('| train the corpus, one process (s) | %.2f | %.2f | %.2f × the time |' % (
    median['sqlite_train'], median['pg_train'], median['pg_train'] / median['sqlite_train']))
print('| classify the corpus (messages/s) | %.0f | %.0f | %.2f × the rate |' % (
    median['sqlite_classify'], median['pg_classify'], median['pg_classify'] / median['sqlite_classify']))
print('| hamlet-serve, 4 connections (messages/s) | %.0f | %.0f | %.2f × the rate |' % (
    median['sqlite_serve'], median['pg_serve'], median['pg_serve'] / median['sqlite_serve']))
print('daemon errors over all rounds: %d' % errors)
print('each round: ' + '; '.join('%s %s' % (k, ', '.join('%.2f' % v for v in values)) for k, values in results.items()))


# 3. Two daemons on one store, both under load at once, while lessons go through the first: how long until the
# second scores each taught message differently (it hears of the change through LISTEN/NOTIFY, never polls).
def exchange(sock, request):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(sock)
        s.sendall(request)
        s.shutdown(socket.SHUT_WR)
        reply = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return reply.decode('latin-1')
            reply += chunk


def spamd_score(sock, message):
    reply = exchange(sock, b'CHECK SPAMC/1.5\r\nContent-length: %d\r\n\r\n' % len(message) + message)
    return next((line.split(';')[-1].strip() for line in reply.split('\r\n') if line.startswith('Spam:')), None)


def tell_spam(sock, message):
    return exchange(sock, b'TELL SPAMC/1.5\r\nMessage-class: spam\r\nSet: local\r\nContent-length: %d\r\n\r\n'
                    % len(message) + message)


sockets, daemons = [os.path.join(work, 'two-%d.sock' % i) for i in (1, 2)], []
listing = os.path.join(work, 'load-files')
try:
    for sock in sockets:
        daemons.append(subprocess.Popen([os.path.join(bin_dir, 'hamlet-serve'), '--socket', sock, '--db', url, '--allow-tell'],
                                        env=dict(environment, HAMLET_USER='four'), stderr=subprocess.DEVNULL))
    for sock in sockets:
        while not os.path.exists(sock):
            time.sleep(0.05)
    loads = [subprocess.Popen([os.path.join(bin_dir, 'hamlet-load'), '--socket', sock, '--files', listing,
                               '--connections', '4', '--seconds', str(load_seconds)], stdout=subprocess.PIPE)
             for sock in sockets]
    time.sleep(1)
    delays = []
    for path in files('hard_ham')[:5]:
        with open(path, 'rb') as f:
            message = f.read()
        before = spamd_score(sockets[1], message)
        if 'EX_OK' not in tell_spam(sockets[0], message):
            delays.append(None)
            continue
        taught = time.perf_counter()
        while time.perf_counter() - taught < 5 and spamd_score(sockets[1], message) == before:
            time.sleep(0.01)
        delays.append(time.perf_counter() - taught if spamd_score(sockets[1], message) != before else None)
    outputs = [load.communicate()[0].decode().strip() for load in loads]
finally:
    for daemon in daemons:
        daemon.terminate()
        daemon.wait()
print()
print('two daemons on one store, both loaded at once (4 connections each, %d s):' % load_seconds)
for i, output in enumerate(outputs):
    print('  daemon %d: %s' % (i + 1, output))
print('  lessons (TELL) through daemon 1 scored differently by daemon 2 after: %s' % ', '.join(
    'never (5 s)' if d is None else '%.2f s' % d for d in delays))
