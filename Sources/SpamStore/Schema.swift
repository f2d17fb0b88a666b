/// The store's schema, one migration per version. `user_version` holds the version.
enum Schema {
    static let currentVersion = 5

    static let migrations: [Int: String] = [
        1: """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            token TEXT NOT NULL UNIQUE,
            spam_count INTEGER NOT NULL DEFAULT 0,
            ham_count INTEGER NOT NULL DEFAULT 0,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL
        );
        CREATE TABLE examples (
            digest TEXT PRIMARY KEY,
            message_id TEXT,
            is_spam INTEGER NOT NULL,
            source TEXT,
            learned_at INTEGER NOT NULL,
            extractor TEXT NOT NULL,
            features BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX examples_message_id ON examples(message_id);
        CREATE INDEX examples_label ON examples(is_spam);
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            options TEXT NOT NULL,
            extractor TEXT NOT NULL,
            bias REAL NOT NULL,
            bias_accumulator REAL NOT NULL DEFAULT 0,
            example_count INTEGER NOT NULL,
            metrics TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE weights (
            model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            token_id INTEGER NOT NULL,
            weight REAL NOT NULL,
            accumulator REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (model_id, token_id)
        ) WITHOUT ROWID;
        """,
        // Version 2: the trained message itself, zlib-compressed, when `store.keep_raw` is on (for `db reextract`).
        2: """
        ALTER TABLE examples ADD COLUMN raw BLOB;
        """,
        // Version 3: each example's log-odds under the model last fitted over it, which `relabel` needs to take
        // back what training on a wrong label did; models other than logistic regression (softmax, MLP) keep each
        // token's first-layer row in `weights.row` and their other parameters in `models.parameters` (packed
        // little-endian doubles, each followed by the same number of AdaGrad accumulators).
        3: """
        ALTER TABLE examples ADD COLUMN fit_logit REAL;
        ALTER TABLE weights ADD COLUMN row BLOB;
        ALTER TABLE models ADD COLUMN parameters BLOB;
        """,
        // Version 4: a token's first and last sighting as days since 1970 rather than seconds (all `db prune`
        // asks is "not seen for N days"; two bytes a value instead of four, 3% of a store).
        4: """
        UPDATE tokens SET first_seen = first_seen / 86400, last_seen = last_seen / 86400;
        """,
        // Version 5: how far a model is from the stored examples. The setting `example_changes` counts every change
        // to the stored examples (added, moved, forgotten, re-extracted); a model records the count its last full
        // fit saw (`fit_changes`) and the count its weights reflect (`changes`, advanced by in-place updates). A
        // model whose `changes` is behind the store's is stale: examples changed and no fit or update followed.
        5: """
        ALTER TABLE models ADD COLUMN fit_changes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE models ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
        """
    ]
}
