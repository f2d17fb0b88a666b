require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];
# Moved out of Junk: teach Hamlet it is ham, unless it went to the Trash.
if environment :matches "imap.mailbox" "*" {
    set "mailbox" "${1}";
}
if string "${mailbox}" "Trash" {
    stop;
}
pipe :copy "hamlet-learn" ["ham"];
