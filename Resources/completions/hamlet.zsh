#compdef hamlet

__hamlet_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__hamlet_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __hamlet_complete "${completions[@]:0:-1}"
    fi
}

__hamlet_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_hamlet() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'train:Teach Hamlet which messages are spam and which are ham.'
            'relabel:Move trained messages to the other label and update the model in place.'
            'forget:Remove trained messages from the store, and their effect from the model.'
            'retrain:Rebuild the model from every stored example, as a new model version.'
            'classify:Classify messages, folders and mailboxes in bulk, on every core.'
            'filter:Filter one message from stdin to stdout, adding spam headers (for procmail, maildrop, Postfix, Sieve).'
            'explain:Show why a message got its verdict: the words and signs that pushed it toward spam or ham.'
            'evaluate:Measure Hamlet on labelled mail (TREC spam-track index files), never touching your store.'
            'stats:Show what the store holds and how its model was trained.'
            'tokens:Print the tokens and counts a message yields (what the model sees).'
            'inspect:Show how Hamlet reads a message: its decoded headers, its MIME tree and the text the tokenizer sees.'
            'db:Look after the store: stats, check, vacuum, prune, export, import, copy.'
            'bench:Measure parsing and feature extraction speed on messages held in memory (one core).'
            'config:Show the effective settings and where each came from.'
            'serve:Run the scanning daemon (spamd'\''s and rspamd'\''s protocols); hamlet-serve --help lists its options.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        train|relabel|forget|retrain|classify|filter|explain|evaluate|stats|tokens|inspect|db|bench|config|serve|help)
            "_hamlet_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hamlet_train() {
    local -i ret=1
    local -ar arg_specs=(
        '--spam[Paths holding spam.]:spam:'
        '--ham[Paths holding ham.]:ham:'
        '--full[Refit the model from every stored example instead of updating it.]'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--model[Model\: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.]:model:'
        '--hidden[MLP hidden layer sizes\: one or two, such as 64 or 64,32.]:hidden:'
        '--activation[MLP hidden activation\: sigmoid, tanh, relu or gelu.]:activation:'
        '--output[MLP output\: sigmoid (one unit) or softmax (two units).]:output:'
        '--jobs[Threads for parsing and scoring (default\: the CPUs this process may run on).]:jobs:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_relabel() {
    local -i ret=1
    local -ar ___as=('spam' 'ham')
    local -ar arg_specs=(
        '--as[The right label\: spam or ham.]:as:{__hamlet_complete "${___as[@]}"}'
        '*:messages:'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_forget() {
    local -i ret=1
    local -ar arg_specs=(
        '*:messages:'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_retrain() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--model[Model\: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.]:model:'
        '--hidden[MLP hidden layer sizes\: one or two, such as 64 or 64,32.]:hidden:'
        '--activation[MLP hidden activation\: sigmoid, tanh, relu or gelu.]:activation:'
        '--output[MLP output\: sigmoid (one unit) or softmax (two units).]:output:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_classify() {
    local -i ret=1
    local -ar ___format=('text' 'tsv' 'json')
    local -ar ___only=('spam' 'ham' 'unsure')
    local -ar arg_specs=(
        '*:paths:'
        '--format[Output format\: text, tsv or json.]:format:{__hamlet_complete "${___format[@]}"}'
        '--only[Print only messages with this verdict\: spam, ham or unsure.]:only:{__hamlet_complete "${___only[@]}"}'
        '--summary[After the results, print how many messages got each verdict (on stderr with --format json).]'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--jobs[Threads for parsing and scoring (default\: the CPUs this process may run on).]:jobs:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_filter() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store (default\: $HAMLET_DB, the configuration file, then the XDG data folder).]:db:'
        '--user[Score with this user'\''s store (see hamlet train --help).]:user:'
        '--exit-code[Say the verdict in the exit status\: spam 0, ham 1, unsure 2, error 3.]'
        '--tempfail[On an internal error write nothing and exit 75 (EX_TEMPFAIL), so the mail system retries later.]'
        '--spam-threshold[p(spam) at or above which a message is spam (default 0.73).]:spam-threshold:'
        '--ham-threshold[p(spam) below which a message is ham (default 0.5).]:ham-threshold:'
        '--subject-tag[Put this tag (such as \[SPAM\]) at the start of a spam'\''s Subject.]:subject-tag:'
        '--log[Append one line per message to this file, or `syslog`.]:log:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_explain() {
    local -i ret=1
    local -ar arg_specs=(
        ':message:'
        '--top[How many tokens to show in each direction.]:top:'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_evaluate() {
    local -i ret=1
    local -ar ___format=('text' 'json')
    local -ar arg_specs=(
        '--train[Index of training messages.]:train:'
        '--test[Index of test messages (with --train).]:test:'
        '--online[Index to run on-line, in order\: score each message, then learn it.]:online:'
        '--folds[With --train alone\: K-fold cross-validation inside the training list.]:folds:'
        '--scores[Write one line per scored message\: id, gold, log-odds, verdict.]:scores:'
        '--format[Output format\: text or json.]:format:{__hamlet_complete "${___format[@]}"}'
        '--db[With --test alone\: score this existing store, read-only.]:db:'
        '--roc[Draw the ROC curve of the scored messages to this SVG file.]:roc:'
        '--target-fpr[Print the threshold that keeps this share of ham (e.g. 0.001) from being called spam.]:target-fpr:'
        '--model[Model\: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.]:model:'
        '--hidden[MLP hidden layer sizes\: one or two, such as 64 or 64,32.]:hidden:'
        '--activation[MLP hidden activation\: sigmoid, tanh, relu or gelu.]:activation:'
        '--output[MLP output\: sigmoid (one unit) or softmax (two units).]:output:'
        '--ham-weight[How much each ham message counts in a full fit'\''s loss (spam counts 1; default 4).]:ham-weight:'
        '--weighting[Feature weighting in logistic regression fits\: blend (the default\: a plain fit and a naive Bayes weighted one, 4\:1), none, or nb (naive Bayes log-count ratios).]:weighting:'
        '--min-df[Logistic regression fits of 500 or more messages learn weights only for tokens at least this many of them contain (default 2; 1\: all).]:min-df:'
        '--epochs[Passes over the training examples in a full fit.]:epochs:'
        '--learning-rate[Step size of gradient descent.]:learning-rate:'
        '--l2[L2 penalty on the weights.]:l2:'
        '--batch-size[Examples per mini-batch.]:batch-size:'
        '--seed[Seed for shuffling (the result depends only on the examples, the options and the seed).]:seed:'
        '--incremental-rate[Step size when one message is learned incrementally.]:incremental-rate:'
        '--incremental-steps[Gradient steps when one message is learned incrementally.]:incremental-steps:'
        '--optimizer[Optimizer\: adagrad or adam.]:optimizer:'
        '--features[Token families, comma-separated\: headers, received, urls, url-paths, hidden, cjk, pairs, shapes (or none).]:features:'
        '--transform[Count transform\: binary, log or count.]:transform:'
        '--normalize[Feature vector scaling\: split (the default\: the text'\''s words and the signs from headers, links and markup each to unit length), whole (the whole vector to unit length) or none.]:normalize:'
        '--jobs[Threads for parsing and scoring (default\: the CPUs this process may run on).]:jobs:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_stats() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_tokens() {
    local -i ret=1
    local -ar arg_specs=(
        '*:paths:'
        '--summary[One summary line per message instead of the token list.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_inspect() {
    local -i ret=1
    local -ar arg_specs=(
        ':message:'
        '--width[Show at most this many characters of each part'\''s text.]:width:'
        '--report[For every message under the path, one TSV line of decoding checks instead.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'stats:The same as hamlet stats.'
            'check:Check the store: SQLite'\''s integrity check, feature versions, document counts, references.'
            'vacuum:Give the store'\''s free pages back to the file system.'
            'prune:Drop rare tokens (from the vocabulary, the examples and the models) and old model versions.'
            'export:Write the store'\''s examples and settings as text (docs/STORE.md describes the format).'
            'import:Read an export into the store (created if needed), then refit the model.'
            'copy:Copy a store into a new one: settings, examples, and the current model without a refit.'
            'reextract:Rebuild stored examples'\'' features with this Hamlet'\''s extractor, then refit the model.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        stats|check|vacuum|prune|export|import|copy|reextract)
            "_hamlet_db_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hamlet_db_stats() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_check() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_vacuum() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_prune() {
    local -i ret=1
    local -ar arg_specs=(
        '--min-documents[Keep tokens found in at least this many stored messages.]:min-documents:'
        '--unseen-days[Only drop tokens not seen for this many days.]:unseen-days:'
        '--keep-models[Model versions to keep.]:keep-models:'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_export() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_import() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:'
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_copy() {
    local -i ret=1
    local -ar arg_specs=(
        ':from:'
        ':to:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_db_reextract() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[The store\: an SQLite file, or a PostgreSQL URL (postgresql\://\[USER\[\:PASSWORD\]@\]\[HOST\]\[\:PORT\]/DB\[?host=/socket/dir\]).]:db:'
        '--user[Whose store\: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.]:user:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_bench() {
    local -i ret=1
    local -ar arg_specs=(
        ':path:'
        '--passes[Warm passes to time (the median is reported).]:passes:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_config() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_serve() {
    local -i ret=1
    local -ar arg_specs=(
        '*:options:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hamlet_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _hamlet ]]; then
    _hamlet "${@}"
else
    compdef _hamlet hamlet
fi
