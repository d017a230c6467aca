"""A real SMTP server for tests/cli/send.rs (aiosmtpd), on 127.0.0.1, that stores what it receives.

    python3 smtp_server.py DIR [--implicit-tls] [--user U --password P] [--reject ADDRESS]...

Makes a root certificate and a server certificate it signs (for 127.0.0.1 and localhost) with
openssl, in DIR; offers STARTTLS with it (or TLS from the first byte with --implicit-tls) and
requires it before AUTH; requires AUTH PLAIN/LOGIN with the user and password when given. Each
message received is written to DIR/messages/N.eml with its envelope in DIR/messages/N.json; a
recipient named by --reject is refused with 550. Prints `PORT <n>` once listening, then serves
until killed.
"""

import argparse
import json
import os
import socket
import ssl
import subprocess
import sys
import time

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
except ImportError:
    sys.exit(
        "smtp_server.py: aiosmtpd is not installed: `pip install aiosmtpd==1.4.6` "
        "(scripts/test installs it in a virtual environment when run as root)"
    )


def certificates(folder):
    """A root, and a server certificate it signs for 127.0.0.1 and localhost."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run = lambda *args: subprocess.run(
        ["openssl", *args], cwd=folder, check=True, capture_output=True
    )
    run("req", "-x509", *ec, "-days", "2", "-subj", "/CN=kpi send test root",
        "-keyout", "root.key", "-out", "root.crt")
    run("req", *ec, "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(folder, "server.ext"), "w") as f:
        f.write("subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\n"
                "extendedKeyUsage = serverAuth\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "root.crt", "-CAkey", "root.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.crt")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(folder, "server.crt"), os.path.join(folder, "server.key"))
    return context


class Store:
    """Refuses the --reject recipients, stores every message with its envelope."""

    def __init__(self, folder, reject):
        self.folder = folder
        self.reject = {r.lower() for r in reject}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        with open(base + ".eml.part", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       # STARTTLS sets `session.ssl`; TLS from the start shows on the transport.
                       "tls": session.ssl is not None
                       or server.transport.get_extra_info("ssl_object") is not None,
                       "authenticated": session.authenticated}, f)
        # Whole files only: the test reads what has its final name.
        os.rename(base + ".eml.part", base + ".eml")
        return "250 2.0.0 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--reject", action="append", default=[])
    args = parser.parse_args()
    messages = os.path.join(args.dir, "messages")
    os.makedirs(messages, exist_ok=True)
    context = certificates(args.dir)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == args.user
              and auth_data.password.decode() == args.password)
        # `handled=False`: aiosmtpd answers the failure itself (535).
        return AuthResult(success=ok, handled=False)

    options = dict(hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    # With TLS from the start there is no STARTTLS, and aiosmtpd's `auth_require_tls` would
    # hide AUTH: the whole session is encrypted anyway.
    smtp = dict(auth_require_tls=not args.implicit_tls)
    if args.user is not None:
        smtp.update(authenticator=authenticator, auth_required=True)
    else:
        smtp.update(authenticator=lambda *a: AuthResult(success=False, handled=False),
                    auth_required=False)
    if args.implicit_tls:
        controller = Controller(Store(messages, args.reject), ssl_context=context,
                                server_kwargs=smtp, **options)
    else:
        controller = Controller(Store(messages, args.reject), tls_context=context,
                                require_starttls=True, server_kwargs=smtp, **options)
    controller.start()
    print(f"PORT {controller.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


main()
