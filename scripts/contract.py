"""The filter contract as the test scripts check it: `hamlet filter`'s output is the input minus earlier
X-Spam-*/X-Hamlet-* fields, plus Hamlet's four fields at the end of the header block (after a leading mbox
`From ` line), in the message's own line ending, and the body untouched."""
import re

OWN = re.compile(rb'^(x-spam-|x-hamlet-)', re.I)


def split_header(data):
    """(header block including its final line break, separator + body) the way a mail client reads them."""
    for sep in (b'\r\n\r\n', b'\n\n'):
        i = data.find(sep)
        if i != -1:
            j = i + len(sep) // 2
            return data[:j], data[j:]
    return data, b''


def fields(block):
    """Header fields with their continuation lines."""
    out, current = [], b''
    for line in block.splitlines(keepends=True):
        if line[:1] in (b' ', b'\t') and current:
            current += line
        else:
            if current:
                out.append(current)
            current = line
    if current:
        out.append(current)
    return out


def _without_from_line(head):
    if head.startswith(b'From '):
        nl = head.find(b'\n') + 1
        return head[:nl], head[nl:]
    return b'', head


def violation(original, output):
    """None when `output` keeps the contract for `original`, else what is wrong."""
    head_in, body_in = split_header(original)
    from_in, head_in = _without_from_line(head_in)
    head_out, body_out = split_header(output)
    from_out, head_out = _without_from_line(head_out)
    out_fields = fields(head_out)
    added = out_fields[-4:]
    if len(added) != 4 or not all(OWN.match(f) for f in added):
        return 'Hamlet\'s four fields are not at the end of the header block'
    if from_out != from_in or b''.join(out_fields[:-4]) != b''.join(f for f in fields(head_in) if not OWN.match(f)):
        return 'the header block was altered'
    if body_out != body_in:
        return 'the body was altered'
    first_line = original.split(b'\n', 1)[0]
    if first_line.endswith(b'\r') and not all(f.endswith(b'\r\n') for f in added):
        return 'Hamlet\'s fields do not use the message\'s CRLF line ending'
    return None
