#!/usr/bin/env python3
"""Real delivery under the filter contract (needs root: it makes a user account): a seeded sample of SpamAssassin
messages, in each line-ending variant of scripts/line-endings.py, delivered through the shipped procmail and
maildrop recipes (procmail -d and maildrop -d for the account, hamlet in ~/.local/bin, the store in its default
place, trained on corpus/). Every message must arrive once (0 lost); it must be the original plus Hamlet's fields
(less what agents do to every message: drop a leading From line, end with an empty line), and where it is not, the
alteration must be the agent's, not Hamlet's (taking Hamlet's fields out and filtering again gives the delivered
message back, under scripts/contract.py); every message Hamlet flags spam must be in the Junk folder.
Usage: scripts/delivery-contract.py [--count 500] [--seed 1] [--variants a,b,...]
"""
import argparse, importlib.util, os, pwd, random, re, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract import violation  # noqa: E402

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


FIELD = re.compile(rb'(?m)^X-(?:Spam|Hamlet)-[^\n]*\n')


def without_fields(data):
    """A message as an LF reader sees it without Hamlet's fields."""
    return FIELD.sub(b'', data)


def as_agent_keeps(data, drop_from_line):
    """A message less what a delivery agent may do to every message: drop a leading mbox From line (up to the
    first LF), end with an empty line."""
    if drop_from_line and data.startswith(b'From '):
        newline = data.find(b'\n')
        data = data[newline + 1:] if newline >= 0 else b''
    return data.rstrip(b'\r\n')


def unaltered(original, delivered):
    """The delivered message is the original plus Hamlet's fields, less what agents do to every message (with the
    From line kept or dropped alike), and but for the one line ending the contract allows Hamlet to add."""
    for drop in (False, True):
        a, b = as_agent_keeps(original, drop), as_agent_keeps(without_fields(delivered), drop)
        if a == b:
            return True
        for i in range(min(len(a), len(b)) + 1):
            if a[:i] != b[:i]:
                break
            if b[i:i + 1] == b'\n' and b[i + 1:] == a[i:] or b[i:i + 2] == b'\r\n' and b[i + 2:] == a[i:]:
                return True
    return False


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
            lost = altered = by_hamlet = misfiled = failed = 0
            for path in sample:
                data = line_endings.VARIANTS[name](open(path, 'rb').read(), path)

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
                if not unaltered(data, delivered):
                    altered += 1
                    # Who altered it: Hamlet's part is the contract between what it was given and what it wrote,
                    # which holds if taking its fields out of the delivered message and filtering that again gives
                    # the delivered message back; otherwise the agent changed the message itself.
                    received = without_fields(delivered)
                    again = subprocess.run(['setpriv', '--reuid=' + user, '--regid=' + user, '--init-groups',
                                            os.path.join(home, '.local/bin/hamlet'), 'filter'], input=received,
                                           capture_output=True, env={'HOME': home, 'PATH': '/usr/bin:/bin'}).stdout
                    if violation(received, again) is not None:
                        by_hamlet += 1
                flagged = any(l.startswith(b'X-Spam-Flag: YES') for l in delivered.split(b'\n'))
                if flagged != (sub == '.Junk/new'):
                    misfiled += 1
            bad = lost + by_hamlet + misfiled + failed
            total_bad += bad
            print('%-8s %-22s %d delivered: %d lost, %d altered (%d by Hamlet), %d flagged spam outside Junk or the reverse, '
                  '%d agent failures' % (agent, name, len(sample), lost, altered, by_hamlet, misfiled, failed), flush=True)
    print('%d deliveries, %d broke the contract' % (2 * len(sample) * len(args.variants.split(',')), total_bad))
    sys.exit(1 if total_bad else 0)
finally:
    subprocess.run(['userdel', '-r', user], capture_output=True)
    if os.path.exists('/var/mail/' + user):
        os.unlink('/var/mail/' + user)
