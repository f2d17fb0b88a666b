function __hamlet_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __hamlet_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __hamlet_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __hamlet_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __hamlet_parse_tokens -S
    set -l unparsed_tokens (__hamlet_tokens -pc)
    switch $unparsed_tokens[1]
    case 'hamlet'
        __hamlet_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'train'
            __hamlet_parse_subcommand 0 'spam=+' 'ham=+' 'full' 'db=' 'user=' 'model=' 'hidden=' 'activation=' 'output=' 'jobs=' 'version' 'h/help'
        case 'relabel'
            __hamlet_parse_subcommand -r 1 'as=' 'db=' 'user=' 'version' 'h/help'
        case 'forget'
            __hamlet_parse_subcommand -r 1 'db=' 'user=' 'version' 'h/help'
        case 'retrain'
            __hamlet_parse_subcommand 0 'db=' 'user=' 'model=' 'hidden=' 'activation=' 'output=' 'version' 'h/help'
        case 'classify'
            __hamlet_parse_subcommand -r 1 'format=' 'only=' 'summary' 'db=' 'user=' 'jobs=' 'version' 'h/help'
        case 'filter'
            __hamlet_parse_subcommand 0 'db=' 'user=' 'exit-code' 'tempfail' 'spam-threshold=' 'ham-threshold=' 'subject-tag=' 'log=' 'version' 'h/help'
        case 'explain'
            __hamlet_parse_subcommand 1 'top=' 'db=' 'user=' 'version' 'h/help'
        case 'evaluate'
            __hamlet_parse_subcommand 0 'train=' 'test=' 'online=' 'folds=' 'scores=' 'format=' 'db=' 'roc=' 'target-fpr=' 'model=' 'hidden=' 'activation=' 'output=' 'ham-weight=' 'weighting=' 'min-df=' 'epochs=' 'learning-rate=' 'l2=' 'batch-size=' 'seed=' 'incremental-rate=' 'incremental-steps=' 'optimizer=' 'features=' 'transform=' 'normalize=' 'jobs=' 'version' 'h/help'
        case 'stats'
            __hamlet_parse_subcommand 0 'db=' 'user=' 'version' 'h/help'
        case 'tokens'
            __hamlet_parse_subcommand -r 1 'summary' 'version' 'h/help'
        case 'inspect'
            __hamlet_parse_subcommand 1 'width=' 'report' 'version' 'h/help'
        case 'db'
            __hamlet_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'stats'
                __hamlet_parse_subcommand 0 'db=' 'user=' 'version' 'h/help'
            case 'check'
                __hamlet_parse_subcommand 0 'db=' 'user=' 'version' 'h/help'
            case 'vacuum'
                __hamlet_parse_subcommand 0 'db=' 'user=' 'version' 'h/help'
            case 'prune'
                __hamlet_parse_subcommand 0 'min-documents=' 'unseen-days=' 'keep-models=' 'db=' 'user=' 'version' 'h/help'
            case 'export'
                __hamlet_parse_subcommand 1 'db=' 'user=' 'version' 'h/help'
            case 'import'
                __hamlet_parse_subcommand 1 'db=' 'user=' 'version' 'h/help'
            case 'copy'
                __hamlet_parse_subcommand 2 'version' 'h/help'
            case 'reextract'
                __hamlet_parse_subcommand 0 'db=' 'user=' 'version' 'h/help'
            end
        case 'bench'
            __hamlet_parse_subcommand 1 'passes=' 'version' 'h/help'
        case 'config'
            __hamlet_parse_subcommand 0 'version' 'h/help'
        case 'serve'
            __hamlet_parse_subcommand -r 1 'version' 'h/help'
        case 'help'
            __hamlet_parse_subcommand -r 1 'version'
        end
    end
end

function __hamlet_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __hamlet_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __hamlet_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __hamlet_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__hamlet_tokens -p)
    if test -z "$(__hamlet_tokens -t)"
        set -l index (count (__hamlet_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'hamlet' -f
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'train' -d 'Teach Hamlet which messages are spam and which are ham.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'relabel' -d 'Move trained messages to the other label and update the model in place.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'forget' -d 'Remove trained messages from the store, and their effect from the model.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'retrain' -d 'Rebuild the model from every stored example, as a new model version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'classify' -d 'Classify messages, folders and mailboxes in bulk, on every core.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'filter' -d 'Filter one message from stdin to stdout, adding spam headers (for procmail, maildrop, Postfix, Sieve).'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'explain' -d 'Show why a message got its verdict: the words and signs that pushed it toward spam or ham.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'evaluate' -d 'Measure Hamlet on labelled mail (TREC spam-track index files), never touching your store.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'stats' -d 'Show what the store holds and how its model was trained.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'tokens' -d 'Print the tokens and counts a message yields (what the model sees).'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'inspect' -d 'Show how Hamlet reads a message: its decoded headers, its MIME tree and the text the tokenizer sees.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'db' -d 'Look after the store: stats, check, vacuum, prune, export, import, copy.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'bench' -d 'Measure parsing and feature extraction speed on messages held in memory (one core).'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'config' -d 'Show the effective settings and where each came from.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'serve' -d 'Run the scanning daemon (spamd\'s and rspamd\'s protocols); hamlet-serve --help lists its options.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train"' -l 'spam' -d 'Paths holding spam.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train"' -l 'ham' -d 'Paths holding ham.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" full' -l 'full' -d 'Refit the model from every stored example instead of updating it.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" model' -l 'model' -d 'Model: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" hidden' -l 'hidden' -d 'MLP hidden layer sizes: one or two, such as 64 or 64,32.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" activation' -l 'activation' -d 'MLP hidden activation: sigmoid, tanh, relu or gelu.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" output' -l 'output' -d 'MLP output: sigmoid (one unit) or softmax (two units).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" jobs' -l 'jobs' -d 'Threads for parsing and scoring (default: the CPUs this process may run on).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet train" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet relabel" as' -l 'as' -d 'The right label: spam or ham.' -rfka 'spam ham'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet relabel" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet relabel" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet relabel" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet relabel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet forget" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet forget" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet forget" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet forget" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" model' -l 'model' -d 'Model: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" hidden' -l 'hidden' -d 'MLP hidden layer sizes: one or two, such as 64 or 64,32.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" activation' -l 'activation' -d 'MLP hidden activation: sigmoid, tanh, relu or gelu.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" output' -l 'output' -d 'MLP output: sigmoid (one unit) or softmax (two units).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet retrain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" format' -l 'format' -d 'Output format: text, tsv or json.' -rfka 'text tsv json'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" only' -l 'only' -d 'Print only messages with this verdict: spam, ham or unsure.' -rfka 'spam ham unsure'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" summary' -l 'summary' -d 'After the results, print how many messages got each verdict (on stderr with --format json).'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" jobs' -l 'jobs' -d 'Threads for parsing and scoring (default: the CPUs this process may run on).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet classify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" db' -l 'db' -d 'The store (default: $HAMLET_DB, the configuration file, then the XDG data folder).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" user' -l 'user' -d 'Score with this user\'s store (see hamlet train --help).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" exit-code' -l 'exit-code' -d 'Say the verdict in the exit status: spam 0, ham 1, unsure 2, error 3.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" tempfail' -l 'tempfail' -d 'On an internal error write nothing and exit 75 (EX_TEMPFAIL), so the mail system retries later.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" spam-threshold' -l 'spam-threshold' -d 'p(spam) at or above which a message is spam (default 0.73).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" ham-threshold' -l 'ham-threshold' -d 'p(spam) below which a message is ham (default 0.5).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" subject-tag' -l 'subject-tag' -d 'Put this tag (such as [SPAM]) at the start of a spam\'s Subject.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" log' -l 'log' -d 'Append one line per message to this file, or `syslog`.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet filter" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet explain" top' -l 'top' -d 'How many tokens to show in each direction.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet explain" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet explain" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet explain" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet explain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" train' -l 'train' -d 'Index of training messages.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" test' -l 'test' -d 'Index of test messages (with --train).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" online' -l 'online' -d 'Index to run on-line, in order: score each message, then learn it.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" folds' -l 'folds' -d 'With --train alone: K-fold cross-validation inside the training list.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" scores' -l 'scores' -d 'Write one line per scored message: id, gold, log-odds, verdict.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" db' -l 'db' -d 'With --test alone: score this existing store, read-only.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" roc' -l 'roc' -d 'Draw the ROC curve of the scored messages to this SVG file.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" target-fpr' -l 'target-fpr' -d 'Print the threshold that keeps this share of ham (e.g. 0.001) from being called spam.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" model' -l 'model' -d 'Model: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" hidden' -l 'hidden' -d 'MLP hidden layer sizes: one or two, such as 64 or 64,32.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" activation' -l 'activation' -d 'MLP hidden activation: sigmoid, tanh, relu or gelu.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" output' -l 'output' -d 'MLP output: sigmoid (one unit) or softmax (two units).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" ham-weight' -l 'ham-weight' -d 'How much each ham message counts in a full fit\'s loss (spam counts 1; default 4).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" weighting' -l 'weighting' -d 'Feature weighting in logistic regression fits: blend (the default: a plain fit and a naive Bayes weighted one, 4:1), none, or nb (naive Bayes log-count ratios).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" min-df' -l 'min-df' -d 'Logistic regression fits of 500 or more messages learn weights only for tokens at least this many of them contain (default 2; 1: all).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" epochs' -l 'epochs' -d 'Passes over the training examples in a full fit.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" learning-rate' -l 'learning-rate' -d 'Step size of gradient descent.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" l2' -l 'l2' -d 'L2 penalty on the weights.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" batch-size' -l 'batch-size' -d 'Examples per mini-batch.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" seed' -l 'seed' -d 'Seed for shuffling (the result depends only on the examples, the options and the seed).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" incremental-rate' -l 'incremental-rate' -d 'Step size when one message is learned incrementally.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" incremental-steps' -l 'incremental-steps' -d 'Gradient steps when one message is learned incrementally.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" optimizer' -l 'optimizer' -d 'Optimizer: adagrad or adam.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" features' -l 'features' -d 'Token families, comma-separated: headers, received, urls, url-paths, hidden, cjk, pairs, shapes (or none).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" transform' -l 'transform' -d 'Count transform: binary, log or count.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" normalize' -l 'normalize' -d 'Feature vector scaling: split (the default: the text\'s words and the signs from headers, links and markup each to unit length), whole (the whole vector to unit length) or none.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" jobs' -l 'jobs' -d 'Threads for parsing and scoring (default: the CPUs this process may run on).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet evaluate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet stats" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet stats" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet stats" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet tokens" summary' -l 'summary' -d 'One summary line per message instead of the token list.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet tokens" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet tokens" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet inspect" width' -l 'width' -d 'Show at most this many characters of each part\'s text.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet inspect" report' -l 'report' -d 'For every message under the path, one TSV line of decoding checks instead.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet inspect" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'stats' -d 'The same as hamlet stats.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'check' -d 'Check the store: SQLite\'s integrity check, feature versions, document counts, references.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'vacuum' -d 'Give the store\'s free pages back to the file system.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'prune' -d 'Drop rare tokens (from the vocabulary, the examples and the models) and old model versions.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'export' -d 'Write the store\'s examples and settings as text (docs/STORE.md describes the format).'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'import' -d 'Read an export into the store (created if needed), then refit the model.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'copy' -d 'Copy a store into a new one: settings, examples, and the current model without a refit.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_positional "hamlet db" -eq 1' -fa 'reextract' -d 'Rebuild stored examples\' features with this Hamlet\'s extractor, then refit the model.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db stats" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db stats" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db stats" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db check" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db check" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db check" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db vacuum" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db vacuum" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db vacuum" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db vacuum" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" min-documents' -l 'min-documents' -d 'Keep tokens found in at least this many stored messages.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" unseen-days' -l 'unseen-days' -d 'Only drop tokens not seen for this many days.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" keep-models' -l 'keep-models' -d 'Model versions to keep.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db export" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db export" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db export" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db import" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db import" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db import" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db copy" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db copy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db reextract" db' -l 'db' -d 'The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db reextract" user' -l 'user' -d 'Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db reextract" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet db reextract" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet bench" passes' -l 'passes' -d 'Warm passes to time (the median is reported).' -rfka ''
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet bench" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet config" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet serve" version' -l 'version' -d 'Show the version.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hamlet' -n '__hamlet_should_offer_completions_for_flags_or_options "hamlet help" version' -l 'version' -d 'Show the version.'
