require ["vnd.dovecot.pipe", "copy", "imapsieve"];
# Moved into Junk: teach Hamlet it is spam (see imapsieve.conf).
pipe :copy "hamlet-learn" ["spam"];
