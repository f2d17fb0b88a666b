#!/usr/bin/env python3
"""Compares Hamlet's models and optimizers, with a release build.

For each configuration: 5-fold cross-validation on the SpamAssassin TRAIN list (seed 1) and the on-line run on
the TRAIN messages in date order (spamassassin-train-chrono.index); 1-ROCA%, log loss, time and model size
(non-zero parameters). Writes the table to docs/MODELS.md.

  scripts/lab/compare-models.py [--only NAME...]
"""
import argparse, datetime, json, os, platform, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(ROOT, '..', 'shared', 'corpora')
HAMLET = os.path.join(ROOT, '.build', 'release', 'hamlet')

# name, options for both runs, extra options for the on-line run only
CONFIGS = [
    ('logreg adagrad (default)', [], []),
    ('logreg adam', ['--optimizer', 'adam', '--learning-rate', '0.01'], []),
    ('softmax', ['--model', 'softmax'], []),
    ('mlp 16 tanh', ['--model', 'mlp', '--hidden', '16', '--activation', 'tanh', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
    ('mlp 16 sigmoid', ['--model', 'mlp', '--hidden', '16', '--activation', 'sigmoid', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
    ('mlp 16 relu', ['--model', 'mlp', '--hidden', '16', '--activation', 'relu', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
    ('mlp 16 gelu', ['--model', 'mlp', '--hidden', '16', '--activation', 'gelu', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
    ('mlp 32 tanh', ['--model', 'mlp', '--hidden', '32', '--activation', 'tanh', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
    ('mlp 16,8 tanh', ['--model', 'mlp', '--hidden', '16,8', '--activation', 'tanh', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
    ('mlp 16 tanh, softmax output', ['--model', 'mlp', '--hidden', '16', '--output', 'softmax', '--learning-rate', '0.05'], ['--incremental-rate', '0.1']),
]


def evaluate(args):
    env = dict(os.environ, XDG_CONFIG_HOME='/nonexistent', HAMLET_CONFIG='/nonexistent/config.toml')
    out = subprocess.run([HAMLET, 'evaluate', '--format', 'json'] + args, check=True, capture_output=True, env=env).stdout
    return json.loads(out.decode().splitlines()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--only', nargs='*', help='run only configurations whose name contains one of these')
    args = parser.parse_args()
    subprocess.run(['swift', 'build', '-c', 'release', '--static-swift-stdlib'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    train = os.path.join(CORPORA, 'spamassassin-train.index')
    chrono = os.path.join(CORPORA, 'spamassassin-train-chrono.index')
    rows = []
    for name, options, online_extra in CONFIGS:
        if args.only and not any(o in name for o in args.only):
            continue
        cv = evaluate(['--train', train, '--folds', '5'] + options)
        online = evaluate(['--online', chrono] + options + online_extra)
        row = (name, ' '.join(options + (['(online: ' + ' '.join(online_extra) + ')'] if online_extra else [])) or '(defaults)',
               cv['one_minus_roca_percent'], cv['log_loss'], cv['seconds'], cv['model_parameters'],
               online['one_minus_roca_percent'], online['log_loss'], online['seconds'], online['n'] / online['seconds'])
        rows.append(row)
        print('%-40s CV %.4f (log loss %.4f, %.1f s, %d params) | online %.4f (log loss %.4f, %.1f s, %.0f msg/s)'
              % (row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9]), flush=True)
    if args.only:
        return
    lines = [
        '# Models and optimizers compared',
        '',
        'Produced by `scripts/lab/compare-models.py` (release build) on %s, %s, %d cores, on %s.'
        % (platform.node(), platform.machine(), os.cpu_count(), datetime.date.today().isoformat()),
        '5-fold cross-validation on the SpamAssassin TRAIN list (seed 1; each fold fitted from scratch, time for all five',
        'fits and the scoring) and the on-line run on `spamassassin-train-chrono.index` (score each message, then learn it',
        'with a few incremental steps; parsing included). Model size: non-zero parameters of the largest model fitted.',
        'Every run uses the default features and options, except those its row lists.',
        '',
        '| model | options | CV 1-ROCA% | CV log loss | CV time | model size | on-line 1-ROCA% | on-line log loss | on-line time | on-line msg/s |',
        '|---|---|---|---|---|---|---|---|---|---|',
    ]
    for r in rows:
        lines.append('| %s | `%s` | %.4f | %.4f | %.1f s | %d | %.4f | %.4f | %.1f s | %.0f |' % r)
    lines.append('')
    with open(os.path.join(ROOT, 'docs', 'lab', 'MODELS-TABLE.md'), 'w') as f:
        f.write('\n'.join(lines))
    print('wrote docs/lab/MODELS-TABLE.md')


if __name__ == '__main__':
    main()
