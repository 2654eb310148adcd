#!/usr/bin/env python3
"""A small API on loopback for the ConnectionVault demo: an API key, Basic, Digest (MD5, qop=auth) and a
two-stage login. Demo credentials only; nothing here is secret.

    python3 examples/demo_server.py [PORT]     (default 18080)
"""
import base64
import hashlib
import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

API_KEY = "demo-key-123"
BASIC = ("ada", "correct-horse")
DIGEST = ("grace", "hopper-42")
LOGIN = ("linus", "demo-secret", "penguin-7")  # username, apiSecret, password
REALM = "connvault-demo"
NONCES = set()


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


class Handler(BaseHTTPRequestHandler):
    server_version = "ConnVaultDemo/1.0"

    def log_message(self, *args):  # keep the demo's output readable
        pass

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/ready":
            return self.reply(200, {"ok": True})
        if url.path == "/apikey/whoami":
            if self.headers.get("X-Api-Key") != API_KEY:
                return self.reply(401, {"message": "invalid API key"})
            return self.reply(200, {"id": 1001, "name": "Ada Lovelace", "plan": "pro"})
        if url.path == "/basic/me":
            expected = "Basic " + base64.b64encode(":".join(BASIC).encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.reply(401, {"error": "wrong user name or password"})
            return self.reply(200, {"id": 1002, "email": "ada@example.com"})
        if url.path == "/digest/me":
            return self.digest(url)
        if url.path == "/login/sign":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if (query.get("username"), query.get("apiSecret")) != LOGIN[:2]:
                return self.reply(401, {"message": "unknown user or API secret"})
            return self.reply(200, {"signature": "sig-" + md5(LOGIN[0])[:12], "userId": 1004, "username": LOGIN[0]})
        self.reply(404, {"message": "no such endpoint"})

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if url.path == "/login":
            if body.get("signature") != "sig-" + md5(LOGIN[0])[:12] or body.get("password") != LOGIN[2]:
                return self.reply(401, {"message": "login refused"})
            return self.reply(200, {"accessToken": "tok-" + secrets.token_hex(8), "expiresIn": 3600})
        self.reply(404, {"message": "no such endpoint"})

    def digest(self, url):
        header = self.headers.get("Authorization", "")
        if header.startswith("Digest "):
            fields = {}
            for part in header[7:].split(","):
                name, _, value = part.strip().partition("=")
                fields[name] = value.strip('"')
            ha1 = md5(f"{DIGEST[0]}:{REALM}:{DIGEST[1]}")
            ha2 = md5(f"GET:{fields.get('uri')}")
            expected = md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
            if fields.get("username") == DIGEST[0] and fields.get("nonce") in NONCES and fields.get("response") == expected:
                return self.reply(200, {"id": 1003, "login": DIGEST[0]})
        nonce = secrets.token_hex(16)
        NONCES.add(nonce)
        challenge = f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{nonce}", opaque="{secrets.token_hex(8)}"'
        self.reply(401, {"message": "digest authentication required"}, [("WWW-Authenticate", challenge)])


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18080
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
