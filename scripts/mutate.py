#!/usr/bin/env python3
"""Mutation check of the test suite, run by hand (not in CI; 20-30 minutes on two cores): each hand-written mutation
below breaks one promise of the code; it is applied alone to a copy of the working tree, the copy is built, and the
mutated module's tests and the end-to-end tests (hamletTests) run. A mutation the tests do not notice is a gap in
them. Prints caught/missed per mutation and exits 1 if any was missed.

Usage: scripts/mutate.py [--only SUBSTRING] [--keep]   (--keep leaves the copy for a look afterwards)"""
import argparse, os, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, file, original text, mutated text, test targets besides hamletTests)
MUTATIONS = [
    ("on-line evaluation never learns", "Sources/HamletKit/Evaluation/Evaluator.swift",
     "let report = try trainer.train([LabeledPath(path: entry.resolvedPath, isSpam: entry.isSpam)])",
     "let report = TrainReport()", "HamletKitTests"),
    ("db check always says ok", "Sources/SpamStore/SQLiteStore+Maintenance.swift",
     "            return problems\n", "            return []\n", "SpamStoreTests"),
    ("prune leaves the weight rows of deleted tokens", "Sources/SpamStore/SQLiteStore+Maintenance.swift",
     "try deleteWeight.bind(1, model).bind(2, Int64(id)).run()", "_ = deleteWeight", "SpamStoreTests"),
    ("the relabel sample is empty", "Sources/SpamStore/SQLiteStore+Examples.swift",
     "        var random = SeededRandom(seed: seed)\n", "        if count >= 0 { return [] }\n        var random = SeededRandom(seed: seed)\n",
     "SpamStoreTests"),
    ("export without percent-encoding", "Sources/SpamStore/SQLiteStore+Export.swift",
     "    static func encode(_ text: String) -> String {\n", "    static func encode(_ text: String) -> String {\n        if !text.isEmpty { return text }\n",
     "SpamStoreTests"),
    ("capped example counts return their limit", "Sources/SpamStore/SQLiteStore+Examples.swift",
     "        return (counts[0], counts[1])\n", "        return limits\n", "SpamStoreTests"),
    ("a relabel moves no document counts", "Sources/SpamStore/SQLiteStore+Examples.swift",
     "deltas.add(stored, spam: isSpam ? 1 : -1, ham: isSpam ? -1 : 1)", "deltas.add(stored, spam: 0, ham: 0)",
     "SpamStoreTests"),
    ("a newer schema is not refused", "Sources/SpamStore/SQLiteStore.swift",
     "        if version > Schema.currentVersion {", "        if version > Schema.currentVersion + 100 {", "SpamStoreTests"),
    ("ham weighs as much as spam in fits", "Sources/Learning/NetworkTrainer.swift",
     "weights[index] = hamWeight", "weights[index] = 1", "LearningTests"),
    ("logistic regression forgets its bias", "Sources/Learning/LogisticRegression.swift",
     "weights.withUnsafeBufferPointer { x.dot($0) } + bias", "weights.withUnsafeBufferPointer { x.dot($0) }",
     "LearningTests"),
    ("subject words lose their namespace", "Sources/TextFeatures/FeatureExtractor.swift",
     'subjectTokenizer.addWords(of: subject, prefix: "subject:", to: &bag, urls: &urls)',
     'subjectTokenizer.addWords(of: subject, prefix: "", to: &bag, urls: &urls)', "TextFeaturesTests"),
    ("mboxrd >From lines keep their quote", "Sources/MailParser/MboxSplitter.swift",
     "        if Self.isQuotedFrom(line) {", "        if false && Self.isQuotedFrom(line) {", "MailParserTests"),
    ("nothing waits for 10 examples of each label", "Sources/HamletKit/Scoring/StoreVerdicts.swift",
     "public static let minimumExamplesPerLabel = 10", "public static let minimumExamplesPerLabel = 0",
     "HamletKitTests"),
    ("a young store keeps the full spam threshold", "Sources/HamletKit/Scoring/Thresholds.swift",
     "pow(lacking, Self.youngStoreExponent)", "pow(lacking, 0)", "HamletKitTests"),
    ("large changes are learned in place instead of refitted", "Sources/HamletKit/Training/LearningPolicy.swift",
     "refitShare: Double = 0.02", "refitShare: Double = 2", "HamletKitTests"),
    ("filter --exit-code calls spam 1", "Sources/HamletKit/Delivery/DeliveryFilter.swift",
     "        case .spam: return 0\n        case .ham: return 1\n", "        case .spam: return 1\n        case .ham: return 1\n",
     "HamletKitTests"),
    ("db check prints ok over problems", "Sources/HamletCommands/Subcommands/Database.swift",
     "        if problems.isEmpty {\n            Output.line", "        if true {\n            Output.line", ""),
]


def run(command, cwd, log, timeout):
    with open(log, "a") as out:
        out.write("\n$ %s\n" % " ".join(command))
        out.flush()
        try:
            return subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            out.write("timed out\n")
            return 124


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="hamlet-mutate-")
    copy = os.path.join(work, "hamlet")
    # The copy sits beside a link to ../shared, as the repository does, so the corpus tests run too.
    shared = os.path.join(os.path.dirname(ROOT), "shared")
    if os.path.isdir(shared):
        os.symlink(os.path.realpath(shared), os.path.join(work, "shared"))
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if os.path.isfile(os.path.join(ROOT, name)):
            os.makedirs(os.path.dirname(os.path.join(copy, name)) or copy, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(copy, name))
    log = os.path.join(work, "mutate.log")
    print("copy in %s, log in %s" % (copy, log), flush=True)
    if run(["swift", "build", "--build-tests"], copy, log, 1800) != 0:
        sys.exit("the unmutated copy does not build; see " + log)
    missed = []
    chosen = [m for m in MUTATIONS if args.only in m[0]]
    for name, path, original, mutated, targets in chosen:
        source = os.path.join(copy, path)
        text = open(source).read()
        if text.count(original) != 1:
            sys.exit("mutation '%s': its original text is not found once in %s" % (name, path))
        open(source, "w").write(text.replace(original, mutated))
        started = time.time()
        try:
            if run(["swift", "build", "--build-tests"], copy, log, 1800) != 0:
                verdict = "caught (does not build)"
            else:
                pattern = "|".join(filter(None, [targets, "hamletTests"]))
                status = run(["swift", "test", "--skip-build", "--disable-swift-testing", "--filter", pattern],
                             copy, log, 1800)
                verdict = "caught" if status != 0 else "MISSED"
        finally:
            open(source, "w").write(text)
        if verdict == "MISSED":
            missed.append(name)
        print("%-8s %-55s %5.0f s" % (verdict.split()[0], name, time.time() - started), flush=True)
    print("%d of %d mutations caught" % (len(chosen) - len(missed), len(chosen)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
