#!/usr/bin/env python3
"""Every pathological input through `hamlet filter` (release build) at its full size and at half size: exit status,
the filter contract (input intact, Hamlet's four fields added), wall time and peak memory. The two sizes show how
the cost grows. Prints a Markdown table. Usage: scripts/pathological.py [--scale 1.0]
"""
import argparse, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')
TOOLS = os.path.join(ROOT, '.build-tools')
OWN = re.compile(rb'^(X-Spam-|X-Hamlet-)')


def run_filter(store, path, out_path):
    """Runs hamlet filter with stdin and stdout on files; returns (status, seconds, peak RSS in MB). The peak comes
    from GNU time, a small parent: a child of this (large) Python process would report Python's own peak, which
    Linux carries over through fork and exec."""
    rss_file = out_path + '.rss'
    with open(path, 'rb') as stdin, open(out_path, 'wb') as stdout:
        start = time.time()
        p = subprocess.run(['/usr/bin/time', '-f', '%M', '-o', rss_file, HAMLET, 'filter', '--db', store],
                           stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
        seconds = time.time() - start
    rss = int(open(rss_file).read().split()[-1]) / 1024
    os.remove(rss_file)
    return p.returncode, seconds, rss


def contract_holds(input_bytes, output):
    head, sep, body = output.partition(b'\n\n')
    lines = head.split(b'\n')
    own = [l for l in lines if OWN.match(l)]
    kept = b'\n'.join(l for l in lines if not OWN.match(l)) + sep + body
    return len(own) == 4 and (kept == input_bytes or kept == input_bytes + b'\n' or kept.rstrip(b'\n') == input_bytes.rstrip(b'\n'))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--scale', type=float, default=1.0)
    args = parser.parse_args()
    if not os.path.exists('/usr/bin/time'):
        subprocess.run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time', shell=True, check=True)
    subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(['swift', 'build', '--package-path', 'Fuzz', '--scratch-path', TOOLS, '-c', 'release',
                    '--product', 'MakePathological'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    maker = os.path.join(TOOLS, 'release', 'MakePathological')
    work = tempfile.mkdtemp(prefix='hamlet-pathological-')
    store = os.path.join(work, 'store.sqlite')
    subprocess.run([HAMLET, 'train', '--db', store, '--spam', os.path.join(ROOT, 'corpus', 'spam'),
                    '--ham', os.path.join(ROOT, 'corpus', 'ham')], check=True, stdout=subprocess.DEVNULL)
    cases = [line.split('\t') for line in subprocess.run([maker, 'list'], check=True, capture_output=True).stdout.decode().splitlines()]
    print('| input | size | exit | contract | time | peak RSS | half size: time, peak RSS |')
    print('|---|---|---|---|---|---|---|')
    ok = True
    for name, description in cases:
        row = []
        for scale in (args.scale, args.scale / 2):
            path = os.path.join(work, name + '.eml')
            subprocess.run([maker, name, str(scale), path], check=True)
            status, seconds, rss = run_filter(store, path, path + '.out')
            holds = contract_holds(open(path, 'rb').read(), open(path + '.out', 'rb').read())
            ok = ok and status == 0 and holds
            row.append((os.path.getsize(path), status, holds, seconds, rss))
            os.remove(path); os.remove(path + '.out')
        (size, status, holds, seconds, rss), (_, _, _, half_seconds, half_rss) = row
        print('| %s | %.1f MB | %d | %s | %.2f s | %.0f MB | %.2f s, %.0f MB |' % (
            description, size / 1e6, status, 'holds' if holds else 'BROKEN', seconds, rss, half_seconds, half_rss))
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
