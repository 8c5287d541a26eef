#!/usr/bin/env python3
"""Smoke checks of a running `shinrai serve --demo`: wait until it is ready, then check the
endpoints that everything else relies on.

Exit status: 0 all good, 1 a check failed, 2 the server never became ready (or died).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import requests

DEMO_PASSWORD = "Demo-Pass-2026"
ADMIN = "admin@demo.shinrai.example"


class FormScan(HTMLParser):
    """Collects <html lang>, forms (action, method, inputs) from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "inputs": {}}
            self.forms.append(self._form)
        elif tag in ("input", "button", "select", "textarea") and self._form is not None and a.get("name"):
            self._form["inputs"][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def scan(html: str) -> FormScan:
    s = FormScan()
    s.feed(html)
    return s


def signed_in(page: FormScan) -> bool:
    return any(f["action"].rstrip("/").endswith(("logout", "signout", "sign-out")) for f in page.forms)


class Smoke:
    def __init__(self, base: str, out: Path) -> None:
        self.base = base.rstrip("/")
        self.out = out
        self.failures: list[str] = []
        self.warnings: list[str] = []
        self.passed = 0

    def check(self, ok: bool, what: str) -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
        return ok

    def get(self, path: str, session: requests.Session | None = None, **kw) -> requests.Response | None:
        try:
            return (session or requests).get(self.base + path, timeout=30, allow_redirects=False, **kw)
        except requests.RequestException as exc:
            self.check(False, f"GET {path}: {exc}")
            return None

    def run(self) -> int:
        r = self.get("/")
        if r is not None and self.check(r.status_code == 200, f"GET / → {r.status_code} (want 200)"):
            page = scan(r.text)
            self.check("html" in r.headers.get("content-type", ""), f"GET / is HTML ({r.headers.get('content-type')})")
            self.check((page.lang or "").lower().startswith("ja"), f"GET / is Japanese: <html lang={page.lang!r}>")
            for header in ("content-security-policy", "x-content-type-options"):
                if header not in r.headers:
                    self.warnings.append(f"GET / has no {header} header")
        r = self.get("/?lang=en")
        if r is not None and self.check(r.status_code == 200, f"GET /?lang=en → {r.status_code} (want 200)"):
            lang = scan(r.text).lang or ""
            self.check(lang.lower().startswith("en"), f"GET /?lang=en is English: <html lang={lang!r}>")

        r = self.get("/healthz")
        if r is not None:
            self.check(r.status_code == 200 and r.text.strip() == "ok",
                       f"GET /healthz → {r.status_code} {r.text.strip()[:40]!r} (want 200 'ok')")
        r = self.get("/readyz")
        if r is not None:
            self.check(r.status_code == 200, f"GET /readyz → {r.status_code} (want 200)")
        r = self.get("/metrics")
        if r is not None and self.check(r.status_code == 200, f"GET /metrics → {r.status_code} (want 200)"):
            self.check(r.headers.get("content-type", "").startswith("text/plain")
                       and ("# TYPE" in r.text or "# HELP" in r.text),
                       f"GET /metrics is Prometheus text ({r.headers.get('content-type')})")

        r = self.get("/api/v1/openapi.json")
        if r is not None and self.check(r.status_code == 200, f"GET /api/v1/openapi.json → {r.status_code} (want 200)"):
            try:
                doc = r.json()
            except ValueError:
                doc = {}
            (self.out / "openapi.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False))
            self.check(str(doc.get("openapi", "")).startswith("3.1"),
                       f"openapi.json is OpenAPI 3.1 (openapi={doc.get('openapi')!r})")
            n = sum(len([m for m in ops if m in ("get", "put", "post", "delete", "patch")])
                    for ops in (doc.get("paths") or {}).values())
            self.check(n > 0, f"openapi.json documents {n} operations")

        r = self.get("/api/v1/ci-smoke-no-such-route")
        if r is not None:
            ctype = r.headers.get("content-type", "")
            self.check(r.status_code == 404 and ctype.startswith("application/problem+json"),
                       f"unknown API route → {r.status_code} {ctype} (want 404 application/problem+json)")

        self.check_login()

        print(f"smoke: {self.passed} passed, {len(self.failures)} failed", flush=True)
        for w in self.warnings:
            print(f"  warning: {w}")
        if self.failures:
            print("Failed smoke checks:\n" + "\n".join(f"  - {f}" for f in self.failures))
            return 1
        return 0

    def check_login(self) -> None:
        s = requests.Session()
        r = self.get("/login", session=s)
        if r is None or not self.check(r.status_code == 200, f"GET /login → {r.status_code} (want 200)"):
            return
        forms = [f for f in scan(r.text).forms if "email" in f["inputs"]]
        if not self.check(bool(forms), "GET /login has a form with an 'email' field"):
            return
        form = forms[0]
        token = form["inputs"].get("_csrf", "")
        self.check(bool(token), "the login form carries a hidden _csrf value")
        self.check("shinrai_csrf" in s.cookies, "GET /login sets the shinrai_csrf cookie")
        action = form["action"] or "/login"
        url = action if action.startswith("http") else self.base + action

        # Without the CSRF token: refused, and no session.
        bad = requests.Session()
        bad.cookies.update(s.cookies)
        try:
            r = bad.post(url, data={"email": ADMIN, "password": DEMO_PASSWORD}, timeout=30)
            home = bad.get(self.base + "/", timeout=30)
            self.check(r.status_code < 500 and not signed_in(scan(home.text)),
                       f"POST /login without _csrf is refused ({r.status_code}, no session)")
        except requests.RequestException as exc:
            self.check(False, f"POST /login without _csrf: {exc}")

        try:
            r = s.post(url, data={"email": ADMIN, "password": DEMO_PASSWORD, "_csrf": token}, timeout=30)
            home = s.get(self.base + "/", timeout=30)
        except requests.RequestException as exc:
            self.check(False, f"POST /login: {exc}")
            return
        self.check(r.status_code < 400 and signed_in(scan(home.text)),
                   f"POST /login as {ADMIN} signs in (→ {r.status_code}, then / shows a sign-out form)")


def process_alive(pid: int) -> bool:
    """False once the process has exited, even while it waits as a zombie to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def wait_ready(base: str, seconds: float, pid: int | None) -> bool:
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        if pid is not None and not process_alive(pid):
            print(f"error: the server (pid {pid}) exited before it was ready", file=sys.stderr)
            return False
        try:
            r = requests.get(base.rstrip("/") + "/readyz", timeout=5)
            if r.status_code == 200:
                return True
            last = f"HTTP {r.status_code}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    print(f"error: {base}/readyz not ready after {seconds:.0f}s (last: {last})", file=sys.stderr)
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--out-dir", default=".ci/out")
    ap.add_argument("--wait", type=float, default=180, help="seconds to wait for /readyz")
    ap.add_argument("--pid", type=int, help="server process: stop waiting if it exits")
    ap.add_argument("--wait-only", action="store_true")
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    if not wait_ready(args.base_url, args.wait, args.pid):
        return 2
    print(f"ready after {time.monotonic() - t0:.1f}s", flush=True)
    if args.wait_only:
        return 0
    return Smoke(args.base_url, out).run()


if __name__ == "__main__":
    sys.exit(main())
