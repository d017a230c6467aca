#!/usr/bin/env python3
"""Reads an email message with Python's own MIME parser (independent of kpi, which writes
messages with lettre) and prints what a mail client would find in it, as JSON:

    {"headers": {...decoded...}, "raw_subject": "=?utf-8?...", "to": [addresses],
     "cc": [addresses], "structure": ["multipart/alternative", ["text/plain", ...]],
     "parts": [{"content_type", "charset", "text", "content_id", "bytes"} for each leaf],
     "text": "...", "html": "...", "images": [{"cid": ..., "type": ..., "filename": ...,
     "width": ..., "height": ..., "bytes": ...}], "defects": [...]}

The email tests (tests/cli/email.rs) read the files `kpi report --format email` writes, and
`kpi send`'s tests (tests/cli/send.rs) the messages their SMTP server received.

With `--extract DIR`, also writes DIR/email.html with every `cid:` image replaced by the
image file written beside it, so that a browser shows the HTML part as a mail client would.

Usage: inspect.py MESSAGE.eml [--extract DIR]
"""

import email
import email.policy
from email.utils import getaddresses
import json
import os
import struct
import sys


def structure(part):
    if part.is_multipart():
        return [part.get_content_type(), [structure(p) for p in part.iter_parts()]]
    return part.get_content_type()


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None, None
    return struct.unpack(">II", data[16:24])


def main():
    args = sys.argv[1:]
    extract = None
    if "--extract" in args:
        i = args.index("--extract")
        extract = args[i + 1]
        del args[i : i + 2]
    (path,) = args
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [type(d).__name__ for d in msg.defects]
    out = {
        "headers": {
            name: str(msg[name])
            for name in ("From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version")
            if msg[name] is not None
        },
        # The subject as it travelled (RFC 2047 encoded words), and the addresses alone.
        "raw_subject": next((v for k, v in msg.raw_items() if k.lower() == "subject"), None),
        "to": [a for _, a in getaddresses([str(v) for v in msg.get_all("To", [])])],
        "cc": [a for _, a in getaddresses([str(v) for v in msg.get_all("Cc", [])])],
        "structure": structure(msg),
        "parts": [],
        "text": None,
        "html": None,
        "images": [],
        "line_ends": "crlf" if b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"") else "mixed",
        "longest_line": max(len(line) for line in raw.split(b"\r\n")),
    }
    for part in msg.walk():
        defects += [type(d).__name__ for d in part.defects]
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        content = part.get_content()
        out["parts"].append(
            {
                "content_type": kind,
                "charset": part.get_content_charset(),
                # Text decoded, with \n line ends; an image by its Content-ID and size.
                "text": content.replace("\r\n", "\n") if isinstance(content, str) else None,
                "content_id": part["Content-ID"],
                "bytes": len(content),
            }
        )
        # Text as a reader's program sees it: lines end in \n once decoded.
        if kind == "text/plain" and out["text"] is None:
            out["text"] = part.get_content().replace("\r\n", "\n")
        elif kind == "text/html" and out["html"] is None:
            out["html"] = part.get_content().replace("\r\n", "\n")
        elif kind.startswith("image/"):
            data = part.get_content()
            width, height = png_size(data)
            cid = part["Content-ID"]
            out["images"].append(
                {
                    "cid": cid.strip("<>") if cid else None,
                    "type": kind,
                    "disposition": part.get_content_disposition(),
                    "filename": part.get_filename(),
                    "width": width,
                    "height": height,
                    "bytes": len(data),
                }
            )
            if extract:
                os.makedirs(extract, exist_ok=True)
                with open(os.path.join(extract, part.get_filename()), "wb") as f:
                    f.write(data)
    out["defects"] = defects
    if extract and out["html"] is not None:
        html = out["html"]
        for image in out["images"]:
            html = html.replace("cid:" + image["cid"], image["filename"])
        with open(os.path.join(extract, "email.html"), "w", encoding="utf-8") as f:
            f.write(html)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


main()
