"""The filter contract as the test scripts check it (README, "Unchanged"): deleting Hamlet's fields from
`hamlet filter`'s output gives back the input less its earlier X-Spam-*/X-Hamlet-* fields, except for one line
ending added after a last header line that had none (or an LF after one that ended in a bare CR); Hamlet's four
fields sit at the end of the header block, each starting a line for a reader that splits on LF; the body is
untouched. Lines are split the way Hamlet's header reader splits them: at LF, CRLF or a bare CR."""
import re

OWN = re.compile(rb'^(x-spam-|x-hamlet-)', re.I)
FIELD_NAME = re.compile(rb'^[^:\r\n]*:')


def lines(data, start=0):
    """(line with its ending, offset after it), from `start`, ending at LF, CRLF or a bare CR."""
    i, n = start, len(data)
    while i < n:
        j = i
        while j < n and data[j] not in (0x0A, 0x0D):
            j += 1
        if j >= n:
            yield data[i:n], n
            return
        end = j + 2 if data[j] == 0x0D and j + 1 < n and data[j + 1] == 0x0A else j + 1
        yield data[i:end], end
        i = end


def parse(data):
    """(leading `From ` line, header fields with their continuation lines, the rest: separator and body)."""
    from_line, position = b'', 0
    if data.startswith(b'From '):
        for line, after in lines(data):
            from_line, position = line, after
            break
    fields, current, rest = [], None, b''
    for line, after in lines(data, position):
        if line in (b'\n', b'\r\n', b'\r'):
            rest = data[after - len(line):]
            break
        if line[:1] in (b' ', b'\t') and current is not None:
            current += line
        else:
            if current is not None:
                fields.append(current)
            current = line
    if current is not None:
        fields.append(current)
    return from_line, fields, rest


def violation(original, output, added_count=4):
    """None when `output` keeps the contract for `original`, else what is wrong."""
    from_in, fields_in, rest_in = parse(original)
    from_out, fields_out, rest_out = parse(output)
    added = fields_out[-added_count:]
    if len(added) != added_count or not all(OWN.match(f) for f in added):
        return 'Hamlet\'s fields are not at the end of the header block'
    if from_out != from_in:
        return 'the From line was altered'
    kept_in = b''.join(f for f in fields_in if not OWN.match(f))
    kept_out = b''.join(fields_out[:-added_count])
    if kept_out != kept_in:
        allowed = []
        if kept_in and not kept_in.endswith((b'\n', b'\r')):
            allowed = [kept_in + b'\n', kept_in + b'\r\n']
        elif kept_in.endswith(b'\r'):
            allowed = [kept_in + b'\n']
        if kept_out not in allowed:
            return 'the header block was altered'
    if rest_out != rest_in:
        return 'the body was altered'
    # Every reader sees Hamlet's fields on lines of their own: the byte before each is an LF.
    start = output.find(added[0]) if added else -1
    if start > 0 and output[start - 1] != 0x0A:
        return 'Hamlet\'s first field does not start a line for an LF reader'
    if not any(l.startswith(b'X-Spam-Flag: ') for l in output.split(b'\n')):
        return 'no X-Spam-Flag line for an LF reader'
    # The message's line ending is its first line's (or a From line's next), a bare CR counting as CRLF.
    first = [line for line, _ in zip((l for l, _ in lines(original)), range(2))]
    crlf = bool(first) and first[0].rstrip(b'\n').endswith(b'\r')
    if original.startswith(b'From ') and len(first) > 1:
        crlf = crlf or first[1].rstrip(b'\n').endswith(b'\r')
    if crlf and not all(f.endswith(b'\r\n') for f in added):
        return 'Hamlet\'s fields do not use the message\'s CRLF line ending'
    return None
