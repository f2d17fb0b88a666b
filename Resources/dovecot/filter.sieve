# Sieve script (Dovecot Pigeonhole with the vnd.dovecot.filter extension): filter on delivery with Hamlet and
# file spam into Junk. Dovecot hands the message over with CRLF line endings; Hamlet keeps them.
#
# dovecot.conf:
#   plugin {
#     sieve_extensions = +vnd.dovecot.filter
#     sieve_filter_bin_dir = /usr/local/lib/dovecot/sieve-filter    # holds a link or wrapper named hamlet-filter
#   }
# /usr/local/lib/dovecot/sieve-filter/hamlet-filter:  #!/bin/sh
#                                                     exec hamlet filter "$@"

require ["vnd.dovecot.filter", "fileinto"];

filter "hamlet-filter";

if header :is "X-Spam-Flag" "YES" {
    fileinto "Junk";
    stop;
}
