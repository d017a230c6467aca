"""Reads one RFC 5322 message with Python's own `email` package (an independent MIME parser)
and prints what tests/cli/send.rs checks, as JSON: the headers (the subject decoded per RFC
2047), the structure, and each leaf part's type, charset and decoded text.

    python3 parse_email.py FILE.eml
"""

import json
import sys
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses

with open(sys.argv[1], "rb") as f:
    message = BytesParser(policy=policy.default).parse(f)

parts = []
for part in message.walk():
    if part.is_multipart():
        continue
    content = part.get_content()
    parts.append({
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "transfer_encoding": part.get("Content-Transfer-Encoding"),
        # Text decoded; an image by its Content-ID and size.
        "text": content.replace("\r\n", "\n") if isinstance(content, str) else None,
        "content_id": part.get("Content-ID"),
        "bytes": len(content),
    })

addresses = lambda name: [a for _, a in getaddresses([str(v) for v in message.get_all(name, [])])]
print(json.dumps({
    "subject": str(message["Subject"]),
    "raw_subject": message.get("Subject").__class__.__name__ and
        next(v for k, v in message.raw_items() if k.lower() == "subject"),
    "from": str(message["From"]),
    "to": addresses("To"),
    "cc": addresses("Cc"),
    "to_header": str(message["To"]),
    "date": str(message["Date"]),
    "message_id": str(message["Message-ID"]),
    "mime_version": str(message["MIME-Version"]),
    "content_type": message.get_content_type(),
    "defects": [str(d) for d in message.defects],
    "parts": parts,
}))
