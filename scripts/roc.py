"""1-ROCA% as the TREC spam track and ../shared/tools/score-metrics.py compute it (ties counted half),
shared by the evaluation scripts."""


def one_minus_roca(scores):
    """100 x (1 - ROC area) from (is_spam, score) pairs; higher scores mean spam."""
    pairs = sorted(scores, key=lambda t: t[1])
    nspam = sum(1 for y, _ in pairs if y)
    nham = len(pairs) - nspam
    rank, i, ranks = 1, 0, 0.0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][1] == pairs[i][1]:
            j += 1
        ranks += (rank + rank + (j - i) - 1) / 2.0 * sum(1 for k in range(i, j) if pairs[k][0])
        rank += j - i
        i = j
    return 100 * (1 - (ranks - nspam * (nspam + 1) / 2.0) / (nspam * nham))
