"""A small OpenID Connect provider SIMULATOR (stand-in for INApas or a Pemda SSO) on loopback.

Not the real thing: it authenticates nobody. `GET /authorize` auto-approves a synthetic test
user — the one named by `?test_user=<key>` (a key of TEST_USERS or one set through the control
hook), else the last one set by `POST /_control/user`. It implements what a relying party
must get right: discovery, JWKS (RSA, kid), authorization code flow with PKCE (S256), state
and nonce echoed, single-use codes, client authentication at the token endpoint.

Control hooks (tests only):
  POST /_control/user  {"key": "...", "nik": "...", "name": "...", "birthdate": "YYYY-MM-DD", "email": "..."}
  POST /_control/mode  {"mode": "normal" | "rogue_key" | "wrong_nonce" | "expired" | "wrong_audience"}
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_SECRETS = {os.environ.get("OIDC_SIM_CLIENT_ID", "satupintu"):
                  os.environ.get("OIDC_SIM_CLIENT_SECRET", "demo-oidc-secret")}
# Synthetic people (NIKs follow the real structure: 3671 = Kota Tangerang; not real residents)
TEST_USERS: dict[str, dict] = {
    "warga-sso": {"nik": "3671014507900003", "name": "Rina Sari Simulasi", "birthdate": "1990-07-05",
                  "email": "rina.sso@contoh.test"},
}


class Provider:
    def __init__(self, port: int) -> None:
        self.issuer = f"http://127.0.0.1:{port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "sim-" + secrets.token_hex(4)
        self.codes: dict[str, dict] = {}
        self.users = dict(TEST_USERS)
        self.current = "warga-sso"
        self.mode = "normal"
        self.lock = threading.Lock()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email", "nik"],
            "claims_supported": ["sub", "nik", "name", "birthdate", "email"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def authorize(self, q: dict) -> tuple[int, dict, str]:
        redirect_uri = q.get("redirect_uri", "")
        if q.get("client_id") not in CLIENT_SECRETS or not redirect_uri:
            return 400, {}, "unknown client or missing redirect_uri"
        if q.get("response_type") != "code":
            return 400, {}, "response_type must be code"
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return self._redirect(redirect_uri, {"error": "invalid_request",
                                                 "error_description": "PKCE S256 required",
                                                 "state": q.get("state", "")})
        user_key = q.get("test_user") or self.current
        if user_key not in self.users:
            return self._redirect(redirect_uri, {"error": "access_denied", "state": q.get("state", "")})
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {"client_id": q["client_id"], "redirect_uri": redirect_uri, "user": user_key,
                                "nonce": q.get("nonce", ""), "challenge": q["code_challenge"],
                                "at": time.time()}
        return self._redirect(redirect_uri, {"code": code, "state": q.get("state", "")})

    @staticmethod
    def _redirect(uri: str, params: dict) -> tuple[int, dict, str]:
        sep = "&" if "?" in uri else "?"
        return 302, {"Location": f"{uri}{sep}{urlencode(params)}"}, ""

    def token(self, form: dict, auth_header: str) -> tuple[int, dict]:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if auth_header.startswith("Basic "):
            client_id, _sep, secret = base64.b64decode(auth_header[6:]).decode().partition(":")
        if CLIENT_SECRETS.get(client_id) != secret or not secret:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # single use
        if grant is None or time.time() - grant["at"] > 60 or grant["client_id"] != client_id:
            return 400, {"error": "invalid_grant"}
        if grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not secrets.compare_digest(challenge, grant["challenge"]):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        user = self.users[grant["user"]]
        now = int(time.time())
        claims = {
            "iss": self.issuer, "sub": hashlib.sha256(user["nik"].encode()).hexdigest()[:32],
            "aud": client_id, "iat": now, "exp": now + 300, "nonce": grant["nonce"],
            "nik": user["nik"], "name": user["name"], "birthdate": user.get("birthdate", ""),
            "email": user.get("email", ""),
        }
        key = self.key
        if self.mode == "rogue_key":
            key = self.rogue
        elif self.mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        elif self.mode == "expired":
            claims["iat"], claims["exp"] = now - 900, now - 600
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-client"
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        return 200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300,
                     "id_token": id_token}


def make_handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet
            return

        def _send(self, status: int, payload=None, headers: dict | None = None) -> None:
            data = b"" if payload is None else (payload.encode() if isinstance(payload, str)
                                                 else json.dumps(payload).encode())
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json" if isinstance(payload, dict) else "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            parts = urlsplit(self.path)
            q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/health":
                self._send(200, {"status": "ok", "simulator": "oidc"})
            elif parts.path == "/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif parts.path == "/jwks":
                self._send(200, provider.jwks())
            elif parts.path == "/authorize":
                status, headers, text = provider.authorize(q)
                self._send(status, text or None, headers)
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            if path == "/token":
                form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
                status, payload = provider.token(form, self.headers.get("Authorization", ""))
                self._send(status, payload)
            elif path == "/_control/user":
                data = json.loads(body or b"{}")
                key = data.pop("key", None) or f"user-{len(provider.users)}"
                provider.users[key] = data
                provider.current = key
                self._send(200, {"key": key})
            elif path == "/_control/mode":
                provider.mode = json.loads(body or b"{}").get("mode", "normal")
                self._send(200, {"mode": provider.mode})
            else:
                self._send(404, {"error": "not found"})

    return Handler


def main(port: int = 8105) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(Provider(port)))
    httpd.daemon_threads = True
    print(f"OIDC provider simulator on http://127.0.0.1:{port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
