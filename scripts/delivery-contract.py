#!/usr/bin/env python3
"""Real delivery under the filter contract (needs root: it makes a user account): a seeded sample of SpamAssassin
messages, in each line-ending variant of scripts/line-endings.py, delivered through the shipped procmail and
maildrop recipes (procmail -d and maildrop -d for the account, hamlet in ~/.local/bin, the store in its default
place, trained on corpus/). Every message must arrive (0 lost) as hamlet filter wrote it (less what the delivery
agents themselves do: drop a leading From line, end with an empty line; that filter's output keeps the contract is
scripts/filter-contract.py's check), and every message Hamlet flags spam must be in the Junk folder.
Usage: scripts/delivery-contract.py [--count 500] [--seed 1] [--variants a,b,...]
"""
import argparse, importlib.util, os, pwd, random, re, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpora', 'spamassassin')
spec = importlib.util.spec_from_file_location('line_endings', os.path.join(ROOT, 'scripts', 'line-endings.py'))
line_endings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(line_endings)

parser = argparse.ArgumentParser()
parser.add_argument('--count', type=int, default=500)
parser.add_argument('--seed', type=int, default=1)
parser.add_argument('--variants', default=','.join(line_endings.VARIANTS))
parser.add_argument('--no-build', action='store_true')
args = parser.parse_args()
if os.getuid() != 0:
    sys.exit('needs root (it makes a user account and delivers with procmail -d and maildrop -d)')
if not args.no_build:
    subprocess.run(['swift', 'build', '-c', 'release'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
user = 'hamletdc%d' % (os.getpid() % 10000)
subprocess.run(['userdel', '-r', user], capture_output=True)
subprocess.run(['useradd', '-m', '-s', '/bin/sh', user], check=True)
home = pwd.getpwnam(user).pw_dir


def as_agent_writes(data):
    """What a delivery agent makes of a message it files into a Maildir: the first line read up to an LF dropped
    if it is an mbox From line (for a message whose lines end in bare CRs, that is its whole header block), and
    the trailing line ends its own."""
    if data.startswith(b'From '):
        newline = data.find(b'\n')
        data = data[newline + 1:] if newline >= 0 else b''
    return data.rstrip(b'\r\n')


def unaltered(filtered, delivered):
    """The delivered file is what hamlet filter wrote (whose own contract scripts/filter-contract.py checks)."""
    return as_agent_writes(filtered) == as_agent_writes(delivered)


try:
    for folder in ('.local/bin', '.local/share/hamlet', 'Maildir/cur', 'Maildir/new', 'Maildir/tmp',
                   'Maildir/.Junk/cur', 'Maildir/.Junk/new', 'Maildir/.Junk/tmp'):
        os.makedirs(os.path.join(home, folder), exist_ok=True)
    shutil.copy(os.path.join(ROOT, '.build', 'release', 'hamlet'), os.path.join(home, '.local/bin/hamlet'))
    shutil.copy(os.path.join(ROOT, 'Resources/procmail/procmailrc'), os.path.join(home, '.procmailrc'))
    shutil.copy(os.path.join(ROOT, 'Resources/maildrop/mailfilter'), os.path.join(home, '.mailfilter'))
    subprocess.run(['chown', '-R', '%s:%s' % (user, user), home], check=True)
    os.chmod(os.path.join(home, '.mailfilter'), 0o600)
    os.chmod(os.path.join(home, '.procmailrc'), 0o600)
    subprocess.run(['setpriv', '--reuid=' + user, '--regid=' + user, '--init-groups',
                    os.path.join(home, '.local/bin/hamlet'), 'train', '--spam', os.path.join(ROOT, 'corpus/spam'),
                    '--ham', os.path.join(ROOT, 'corpus/ham')], check=True, capture_output=True, env={'HOME': home, 'PATH': '/usr/bin:/bin'})
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(CORPUS) for f in fs)
    sample = random.Random(args.seed).sample(files, min(args.count, len(files)))
    total_bad = 0
    for agent, command in (('procmail', ['procmail', '-d', user]), ('maildrop', ['maildrop', '-d', user])):
        for name in args.variants.split(','):
            for sub in ('new', '.Junk/new'):
                folder = os.path.join(home, 'Maildir', sub)
                for f in os.listdir(folder):
                    os.unlink(os.path.join(folder, f))
            lost = altered = misfiled = failed = 0
            for path in sample:
                data = line_endings.VARIANTS[name](open(path, 'rb').read(), path)
                # procmail takes a leading From line off before its filter sees the message; maildrop after.
                seen = data
                if agent == 'procmail' and data.startswith(b'From '):
                    seen = data[data.find(b'\n') + 1:] if b'\n' in data else b''
                filtered = subprocess.run(['setpriv', '--reuid=' + user, '--regid=' + user, '--init-groups',
                                           os.path.join(home, '.local/bin/hamlet'), 'filter'], input=seen,
                                          capture_output=True, env={'HOME': home, 'PATH': '/usr/bin:/bin'}).stdout
                before = {sub: set(os.listdir(os.path.join(home, 'Maildir', sub))) for sub in ('new', '.Junk/new')}
                p = subprocess.run(command, input=data, capture_output=True, env={'PATH': '/usr/bin:/bin'})
                if p.returncode != 0:
                    failed += 1
                    continue
                arrived = [(sub, f) for sub in ('new', '.Junk/new')
                           for f in set(os.listdir(os.path.join(home, 'Maildir', sub))) - before[sub]]
                if len(arrived) != 1:
                    lost += 1
                    continue
                sub, f = arrived[0]
                delivered = open(os.path.join(home, 'Maildir', sub, f), 'rb').read()
                if not unaltered(filtered, delivered):
                    altered += 1
                flagged = any(l.startswith(b'X-Spam-Flag: YES') for l in delivered.split(b'\n'))
                if flagged != (sub == '.Junk/new'):
                    misfiled += 1
            bad = lost + altered + misfiled + failed
            total_bad += bad
            print('%-8s %-22s %d delivered: %d lost, %d altered, %d flagged spam outside Junk or the reverse, %d agent failures'
                  % (agent, name, len(sample), lost, altered, misfiled, failed), flush=True)
    print('%d deliveries, %d broke the contract' % (2 * len(sample) * len(args.variants.split(',')), total_bad))
    sys.exit(1 if total_bad else 0)
finally:
    subprocess.run(['userdel', '-r', user], capture_output=True)
    if os.path.exists('/var/mail/' + user):
        os.unlink('/var/mail/' + user)
