#!/usr/bin/env python3
"""Browser pass of Shinrai's CI: crawl the server-rendered pages in headless Chromium.

For the public (anonymous) visitor and then for each demo account (signed in through the
real login form), crawl same-origin HTML pages breadth-first from `/` and `/?lang=en`,
following `<a href>` links only. On every page:

  * the HTTP status of the document (read from Chrome's network log) must be < 500, and an
    internal link must not lead to a 404;
  * axe-core (WCAG 2.0/2.1 A+AA and WCAG 2.2 AA rules) must report no violation;
  * `<html lang>` is set, there is exactly one `<main>`, and the first Tab from the top of the
    page lands on a skip link (`<a href="#id">` whose target exists);
  * the first page of each page type must reflow at 320 CSS pixels (WCAG 1.4.10) and gets a
    full-page screenshot in OUT/screens/ (plus a 390 px phone screenshot of the home page).

Then the same pages are visited again with JavaScript disabled (signing in through the form
without JavaScript too): status < 500 and a `<main>` with content.

Exit status: 0 clean, 1 findings, 2 the check itself could not run (no browser, no axe, ...).
"""
from __future__ import annotations

import argparse
import base64
import collections
import dataclasses
import importlib.util
import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from axe_selenium_python import Axe

DEMO_PASSWORD = "Demo-Pass-2026"
DEMO_ACCOUNTS = {
    "admin": "admin@demo.shinrai.example",
    "reviewer": "reviewer@demo.shinrai.example",
    "member": "member@demo.shinrai.example",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_MIN_VERSION = (4, 5)  # the first axe-core with the wcag22aa tag

START_PATHS = ["/", "/?lang=en"]
# Never crawled: sign-out (even as a link), machine endpoints, downloads.
SKIP_PATH = re.compile(
    r"(^|/)(logout|log-out|signout|sign-out)(/|$)"
    r"|^/api(/|$)|^/metrics(/|$)|^/healthz(/|$)|^/readyz(/|$)",
    re.IGNORECASE,
)
SKIP_SUFFIXES = (
    ".csv", ".json", ".ndjson", ".atom", ".rss", ".xml", ".svg", ".pdf", ".zip", ".gz",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".txt", ".ics", ".xlsx",
)

# Path segments that name one record among many: pages that differ only there are one type.
ID_SEGMENTS = [
    (re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I), ":uuid"),
    (re.compile(r"^\d+$"), ":n"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), ":date"),
    # public numbers such as RDY-2026-0001 or ISMAP-C-2026-0012
    (re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{4}-\d{2,}$", re.I), ":no"),
    (re.compile(r"^[0-9a-f]{16,}$", re.I), ":hex"),
]

# Finds <html lang>, <main>, and the login state on the current page, in one round trip.
PAGE_FACTS_JS = r"""
const mains = document.querySelectorAll('main');
const marker = document.querySelector('[data-error-status]');
const links = Array.from(document.querySelectorAll('a[href]')).map(a => [a.href, a.hasAttribute('download')]);
const logout = Array.from(document.querySelectorAll('form')).some(f => {
  const a = (f.getAttribute('action') || '');
  return /(^|\/)(logout|sign-?out)(\?|$)/i.test(a);
});
return {
  lang: document.documentElement.getAttribute('lang'),
  title: document.title,
  mainCount: mains.length,
  mainText: mains.length ? (mains[0].innerText || mains[0].textContent || '').trim().length : 0,
  mainChildren: mains.length ? mains[0].children.length : 0,
  errorMarker: marker ? marker.getAttribute('data-error-status') : null,
  links: links,
  signedIn: logout,
};
"""

ACTIVE_ELEMENT_JS = r"""
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const href = el.getAttribute('href');
let target = null;
if (href && href.startsWith('#') && href.length > 1) {
  let id = href.slice(1);
  try { id = decodeURIComponent(id); } catch (e) {}
  const t = document.getElementById(id);
  if (t) target = {tag: t.tagName.toLowerCase(), inMain: !!t.closest('main') || !!t.querySelector('main')};
}
const r = el.getBoundingClientRect();
return {
  tag: el.tagName.toLowerCase(),
  href: href,
  text: (el.innerText || el.textContent || '').trim().slice(0, 60),
  html: el.outerHTML.slice(0, 160),
  target: target,
  visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
           && r.top < window.innerHeight && r.left < window.innerWidth,
};
"""

OVERFLOW_JS = r"""
const root = document.documentElement;
const width = root.clientWidth;
if (root.scrollWidth <= width + 1) return null;
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.right <= width + 1 || r.width === 0) continue;
  // report the outermost offender only
  let p = el.parentElement, parentOverflows = false;
  while (p && p !== document.body) {
    if (p.getBoundingClientRect().right > width + 1) { parentOverflows = true; break; }
    p = p.parentElement;
  }
  if (parentOverflows) continue;
  let sel = el.tagName.toLowerCase();
  if (el.id) sel += '#' + el.id;
  else if (el.classList.length) sel += '.' + Array.from(el.classList).slice(0, 2).join('.');
  out.push(sel + ' (right edge ' + Math.round(r.right) + 'px)');
  if (out.length >= 5) break;
}
return {scrollWidth: root.scrollWidth, clientWidth: width, offenders: out};
"""


class SetupError(Exception):
    """The check itself cannot run (exit status 2)."""


@dataclasses.dataclass
class Problem:
    kind: str          # "axe", "server-error", "broken-link", "structure", "skip-link", "reflow", "login", "nojs", "crawl"
    identity: str
    url: str
    message: str
    rule: str = ""
    impact: str = ""
    targets: list = dataclasses.field(default_factory=list)
    help_url: str = ""
    referrer: str = ""


@dataclasses.dataclass
class PageResult:
    identity: str
    url: str
    page_type: str
    status: int | None
    mime: str
    violations: int = 0
    problems: int = 0
    skipped: str = ""
    screenshot: str = ""
    seconds: float = 0.0


class Checker:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.base = args.base_url.rstrip("/")
        base = urllib.parse.urlsplit(self.base)
        self.origin = (base.scheme, base.netloc)
        self.host = base.hostname or "127.0.0.1"
        self.out = Path(args.out_dir)
        self.screens = self.out / "screens"
        self.problems: list[Problem] = []
        self.pages: list[PageResult] = []
        self.warnings: list[str] = []
        self.axe_js = find_axe_script(args.axe_js)
        self.axe_version = ""

    # ----- browser ---------------------------------------------------------------------------
    def driver(self, javascript: bool = True) -> webdriver.Chrome:
        opts = webdriver.ChromeOptions()
        opts.binary_location = self.args.chromium
        for arg in [
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            f"--window-size={self.args.width},{self.args.height}", "--hide-scrollbars",
            "--force-color-profile=srgb", "--force-device-scale-factor=1", "--lang=ja",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection",
            "--disable-breakpad", "--no-pings", "--metrics-recording-only",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
            # Only the server under test is reachable: no other host name resolves, so the
            # browser's own background traffic cannot leave the machine.
            f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {self.host}",
        ]:
            opts.add_argument(arg)
        prefs = {
            "intl.accept_languages": "ja,en;q=0.8",
            "download_restrictions": 3,  # never download; a download link is not a page
            "credentials_enable_service": False,
            "profile.password_manager_enabled": False,
        }
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        opts.add_experimental_option("prefs", prefs)
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        opts.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
        service = Service(executable_path=self.args.chromedriver,
                          log_output=str(self.out / "chromedriver.log"))
        drv = webdriver.Chrome(service=service, options=opts)
        drv.set_page_load_timeout(self.args.page_timeout)
        drv.set_script_timeout(self.args.page_timeout * 2)
        return drv

    def load(self, drv: webdriver.Chrome, url: str) -> tuple[int | None, str, str]:
        """Navigate and return (status, mime type, final URL) of the main document."""
        drv.get_log("performance")  # drop what earlier pages logged
        drv.get(url)
        return document_response(drv, url)

    # ----- URLs --------------------------------------------------------------------------------
    def normalize(self, href: str) -> str | None:
        """Absolute same-origin URL without fragment, or None when it is not to be crawled."""
        try:
            parts = urllib.parse.urlsplit(href)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != self.origin:
            return None
        path = parts.path or "/"
        if SKIP_PATH.search(path) or path.lower().endswith(SKIP_SUFFIXES):
            return None
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))

    @staticmethod
    def page_type(url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        segs = []
        for seg in parts.path.split("/"):
            for rx, name in ID_SEGMENTS:
                if rx.match(urllib.parse.unquote(seg)):
                    seg = name
                    break
            segs.append(seg)
        kind = "/".join(segs) or "/"
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if query:
            keys = sorted({k for k, _ in query})
            shown = []
            for k in keys:
                vals = sorted({v for kk, v in query if kk == k})
                shown.append(f"{k}={','.join(vals)}" if k == "lang" else f"{k}=*")
            kind += "?" + "&".join(shown)
        return kind

    def key(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        return parts.path + ("?" + parts.query if parts.query else "")

    # ----- checks on one page -------------------------------------------------------------------
    def problem(self, **kw) -> None:
        self.problems.append(Problem(**kw))

    def check_page(self, drv, identity: str, url: str, ptype: str, referrer: str,
                   first_of_type: bool) -> tuple[PageResult, list[str]]:
        t0 = time.monotonic()
        before = len(self.problems)
        try:
            status, mime, final = self.load(drv, url)
        except TimeoutException:
            self.problem(kind="crawl", identity=identity, url=url, referrer=referrer,
                         message=f"page did not load within {self.args.page_timeout}s")
            return PageResult(identity, url, ptype, None, "", problems=1,
                              seconds=time.monotonic() - t0), []
        result = PageResult(identity, url, ptype, status, mime)
        if mime and "html" not in mime:
            result.skipped = f"not HTML ({mime})"
            result.seconds = time.monotonic() - t0
            return result, []
        facts = drv.execute_script(PAGE_FACTS_JS)
        if status is None and facts.get("errorMarker"):
            try:
                status = result.status = int(facts["errorMarker"])
            except ValueError:
                pass
        where = dict(identity=identity, url=url, referrer=referrer)
        if status is not None and status >= 500:
            self.problem(kind="server-error", message=f"HTTP {status}", **where)
        elif status == 404:
            self.problem(kind="broken-link", message="HTTP 404: a link leads to a missing page", **where)
        elif status is not None and status >= 400:
            self.warnings.append(f"[{identity}] {url}: HTTP {status} (linked from {referrer or 'start'})")
        if status is None:
            self.warnings.append(f"[{identity}] {url}: no document status in the network log")

        if not (facts.get("lang") or "").strip():
            self.problem(kind="structure", message="<html> has no lang attribute", **where)
        if facts.get("mainCount") != 1:
            self.problem(kind="structure",
                         message=f"expected exactly one <main>, found {facts.get('mainCount')}", **where)
        self.check_skip_link(drv, where)
        self.run_axe(drv, result, where)
        if first_of_type:
            self.check_reflow(drv, where)
            result.screenshot = self.screenshot(drv, identity, ptype)
        result.problems = len(self.problems) - before
        result.seconds = time.monotonic() - t0
        if identity != "anonymous" and not facts.get("signedIn"):
            self.warnings.append(f"[{identity}] {url}: no sign-out form on this page")
        links = facts.get("links", [])
        if final and (urllib.parse.urlsplit(final).scheme, urllib.parse.urlsplit(final).netloc) != self.origin:
            links = []  # redirected off the site: nothing of ours to follow
        return result, [href for href, download in links if not download]

    def check_skip_link(self, drv, where: dict) -> None:
        try:
            drv.execute_script(
                "window.focus(); if (document.activeElement) document.activeElement.blur();"
                "window.scrollTo(0, 0);")
            ActionChains(drv).send_keys(Keys.TAB).perform()
            el = drv.execute_script(ACTIVE_ELEMENT_JS)
        except WebDriverException as exc:
            self.problem(kind="skip-link", message=f"could not press Tab: {exc.msg}", **where)
            return
        if el is None:
            self.problem(kind="skip-link", message="the first Tab focuses nothing", **where)
        elif el["tag"] != "a" or not (el.get("href") or "").startswith("#") or len(el["href"]) < 2:
            self.problem(kind="skip-link",
                         message=f"the first focusable element is not a skip link: {el['html']}", **where)
        elif not el.get("target"):
            self.problem(kind="skip-link",
                         message=f"the skip link's target {el['href']} does not exist", **where)
        elif not el.get("visible"):
            self.problem(kind="skip-link",
                         message=f"the skip link {el['href']} stays invisible when focused", **where)
        elif not el["target"].get("inMain"):
            self.warnings.append(f"[{where['identity']}] {where['url']}: skip link target "
                                 f"{el['href']} is neither <main> nor inside it")

    def run_axe(self, drv, result: PageResult, where: dict) -> None:
        axe = Axe(drv, script_url=self.axe_js)
        try:
            axe.inject()
            if not self.axe_version:
                self.axe_version = drv.execute_script("return axe.version")
                if version_tuple(self.axe_version) < AXE_MIN_VERSION:
                    raise SetupError(f"axe-core {self.axe_version} at {self.axe_js} predates "
                                     "WCAG 2.2 rules; install the e2e requirements (see docs/ci.md)")
            options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS},
                                  "resultTypes": ["violations"]})
            res = axe.run(options=options)
        except WebDriverException as exc:
            self.problem(kind="axe", message=f"axe could not run: {exc.msg}", **where)
            return
        for v in res.get("violations", []):
            result.violations += 1
            self.problem(kind="axe", rule=v["id"], impact=v.get("impact") or "",
                         message=v.get("help", ""), help_url=v.get("helpUrl", ""),
                         targets=[" ".join(map(str, n["target"])) for n in v.get("nodes", [])],
                         **where)

    def check_reflow(self, drv, where: dict) -> None:
        if self.args.no_reflow:
            return
        try:
            drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": False})
            over = drv.execute_script(OVERFLOW_JS)
        finally:
            drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        if over:
            self.problem(kind="reflow",
                         message=(f"at 320 CSS px the page scrolls sideways (content {over['scrollWidth']}px "
                                  f"wide, WCAG 1.4.10 Reflow)"),
                         targets=over.get("offenders", []), **where)

    def screenshot(self, drv, identity: str, ptype: str, width: int | None = None,
                   mobile: bool = False, name: str | None = None) -> str:
        folder = self.screens / identity
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (name or (slug(ptype) + ".png"))
        try:
            drv.execute_script("if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0);")
            if width:
                drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": 844, "deviceScaleFactor": 2 if mobile else 1,
                                     "mobile": mobile})
            metrics = drv.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            height = min(int(size["height"]) + 1, self.args.max_screenshot_height)
            shot = drv.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": int(width or size["width"]), "height": height, "scale": 1},
            })
            path.write_bytes(base64.b64decode(shot["data"]))
        except WebDriverException as exc:
            self.warnings.append(f"screenshot of {ptype} failed: {exc.msg}")
            return ""
        finally:
            if width:
                drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return str(path)

    # ----- sign-in -------------------------------------------------------------------------------
    def sign_in(self, drv, identity: str, email: str, javascript: bool) -> bool:
        label = identity if javascript else f"{identity} (no JS)"
        url = self.base + "/login"
        where = dict(identity=label, url=url)
        try:
            status, _, _ = self.load(drv, url)
            if status is not None and status >= 400:
                self.problem(kind="login", message=f"GET /login answered HTTP {status}", **where)
                return False
            fields = drv.find_elements(By.CSS_SELECTOR, "form input[name=email]")
            if not fields:
                self.problem(kind="login", message="no form with an input named 'email' on /login", **where)
                return False
            form = fields[0].find_element(By.XPATH, "./ancestor::form")
            csrf = form.find_elements(By.CSS_SELECTOR, "input[name=_csrf]")
            if not csrf or not (csrf[0].get_attribute("value") or "").strip():
                self.problem(kind="login", message="the login form has no hidden _csrf value", **where)
            fields[0].clear()
            fields[0].send_keys(email)
            pw = form.find_element(By.CSS_SELECTOR, "input[name=password]")
            pw.clear()
            pw.send_keys(self.args.password)
            buttons = form.find_elements(By.CSS_SELECTOR, "button:not([type=button]):not([type=reset]), input[type=submit]")
            drv.get_log("performance")
            if buttons:
                buttons[0].click()
            else:
                pw.send_keys(Keys.ENTER)
            WebDriverWait(drv, self.args.page_timeout).until(
                lambda d: d.execute_script("return document.readyState") == "complete"
                and urllib.parse.urlsplit(d.current_url).path.rstrip("/") != "/login"
                or d.find_elements(By.CSS_SELECTOR, "[role=alert], .error-summary, [data-error-status]"))
            status, _, _ = document_response(drv, None)
            if status is not None and status >= 500:
                self.problem(kind="server-error", message=f"POST /login answered HTTP {status}", **where)
                return False
            signed_in = drv.execute_script(PAGE_FACTS_JS)["signedIn"]
        except (TimeoutException, WebDriverException) as exc:
            self.problem(kind="login", message=f"signing in as {email} failed: {getattr(exc, 'msg', exc)}",
                         **where)
            return False
        if not signed_in:
            self.screenshot(drv, label.replace(" ", "-"), "login-failed")
            self.problem(kind="login",
                         message=(f"after submitting the login form as {email} the page "
                                  f"{drv.current_url} shows no sign-out form"), **where)
            return False
        return True

    # ----- crawls ---------------------------------------------------------------------------------
    def crawl(self, drv, identity: str) -> list[str]:
        """Breadth-first crawl with axe; returns the HTML page URLs visited."""
        queue = collections.deque((self.base + p, "") for p in START_PATHS)
        seen = {self.key(u) for u, _ in queue}
        per_type: collections.Counter[str] = collections.Counter(self.page_type(u) for u, _ in queue)
        shot_types: set[str] = set()
        visited: list[str] = []
        deadline = time.monotonic() + self.args.crawl_seconds
        count = 0
        while queue:
            if count >= self.args.max_pages:
                self.warnings.append(f"[{identity}] stopped at --max-pages {self.args.max_pages}; "
                                     f"{len(queue)} queued pages not visited")
                break
            if time.monotonic() > deadline:
                self.warnings.append(f"[{identity}] stopped after {self.args.crawl_seconds}s; "
                                     f"{len(queue)} queued pages not visited")
                break
            url, referrer = queue.popleft()
            ptype = self.page_type(url)
            first = ptype not in shot_types
            result, links = self.check_page(drv, identity, url, ptype, referrer, first)
            count += 1
            self.pages.append(result)
            if result.skipped:
                continue
            shot_types.add(ptype)
            visited.append(url)
            print(f"  [{identity}] {result.status or '?':>3} {result.violations:>2} axe "
                  f"{result.seconds:5.1f}s {self.key(url)}", flush=True)
            for href in links:
                nxt = self.normalize(href)
                if not nxt:
                    continue
                k = self.key(nxt)
                if k in seen:
                    continue
                seen.add(k)
                t = self.page_type(nxt)
                if per_type[t] >= self.args.per_type:
                    continue
                per_type[t] += 1
                queue.append((nxt, url))
        return visited

    def nojs_pass(self, drv, identity: str, urls: list[str]) -> None:
        for url in urls:
            where = dict(identity=f"{identity} (no JS)", url=url)
            try:
                status, mime, _ = self.load(drv, url)
                facts = drv.execute_script(PAGE_FACTS_JS)
            except WebDriverException as exc:
                self.problem(kind="nojs", message=f"page did not load: {exc.msg}", **where)
                continue
            if status is not None and status >= 500:
                self.problem(kind="server-error", message=f"HTTP {status} without JavaScript", **where)
            if facts["mainCount"] < 1 or (facts["mainText"] == 0 and facts["mainChildren"] == 0):
                self.problem(kind="nojs", message="<main> is missing or empty without JavaScript", **where)

    def verify_javascript_off(self, drv) -> None:
        drv.get("data:text/html,<html lang=en><title>x</title><main id=m>off</main>"
                "<script>document.getElementById('m').textContent='on'</script>")
        if drv.find_element(By.ID, "m").text != "off":
            raise SetupError("JavaScript still runs in the no-JS browser")

    # ----- the whole run ------------------------------------------------------------------------
    def run(self) -> int:
        self.out.mkdir(parents=True, exist_ok=True)
        self.screens.mkdir(parents=True, exist_ok=True)
        identities = ["anonymous"] + [a for a in self.args.accounts if a != "anonymous"]
        started = time.monotonic()
        visited: dict[str, list[str]] = {}
        for identity in identities:
            t0 = time.monotonic()
            print(f"== crawl as {identity} (JavaScript on, axe {'/'.join(AXE_TAGS)})", flush=True)
            drv = self.driver(javascript=True)
            try:
                if identity != "anonymous" and not self.sign_in(drv, identity, DEMO_ACCOUNTS[identity], True):
                    continue
                if identity == "anonymous":
                    self.load(drv, self.base + "/")
                    self.screenshot(drv, "anonymous", "home", width=390, mobile=True, name="home-390.png")
                visited[identity] = self.crawl(drv, identity)
                if identity != "anonymous":
                    self.load(drv, self.base + "/")
                    if not drv.execute_script(PAGE_FACTS_JS)["signedIn"]:
                        self.problem(kind="login", identity=identity, url=self.base + "/",
                                     message="the session ended during the crawl (was a GET link a sign-out?)")
            finally:
                drv.quit()
            print(f"   {identity}: {len(visited.get(identity, []))} pages in {time.monotonic() - t0:.0f}s",
                  flush=True)
        if not self.args.skip_nojs:
            for identity, urls in visited.items():
                t0 = time.monotonic()
                print(f"== no-JavaScript pass as {identity} ({len(urls)} pages)", flush=True)
                drv = self.driver(javascript=False)
                try:
                    self.verify_javascript_off(drv)
                    if identity != "anonymous" and not self.sign_in(drv, identity, DEMO_ACCOUNTS[identity], False):
                        continue
                    self.nojs_pass(drv, identity, urls)
                finally:
                    drv.quit()
                print(f"   {identity}: {time.monotonic() - t0:.0f}s", flush=True)
        self.report(time.monotonic() - started)
        return 1 if self.problems else 0

    def report(self, seconds: float) -> None:
        data = {
            "baseUrl": self.base, "axeVersion": self.axe_version, "axeTags": AXE_TAGS,
            "seconds": round(seconds, 1),
            "pages": [dataclasses.asdict(p) for p in self.pages],
            "problems": [dataclasses.asdict(p) for p in self.problems],
            "warnings": self.warnings,
        }
        (self.out / "browser-report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))

        print()
        print(f"Browser pass: {len(self.pages)} pages, axe-core {self.axe_version}, {seconds:.0f}s")
        width = min(max((len(self.key(p.url)) for p in self.pages), default=10), 70)
        print(f"{'who':<10} {'status':>6} {'axe':>4} {'other':>5}  page")
        for p in self.pages:
            other = p.problems - p.violations
            note = f"  ({p.skipped})" if p.skipped else ""
            print(f"{p.identity:<10} {p.status or '?':>6} {p.violations:>4} {other:>5}  "
                  f"{self.key(p.url)[:width]}{note}")
        if self.warnings:
            print(f"\nWarnings ({len(self.warnings)}):")
            for w in self.warnings[:50]:
                print(f"  - {w}")
        if not self.problems:
            print(f"\nNo accessibility violations, no server errors. Screenshots: {self.screens}")
            return
        print(f"\nFAILED: {len(self.problems)} problems")
        axe = collections.OrderedDict()
        for p in self.problems:
            if p.kind == "axe" and p.rule:
                axe.setdefault((p.rule, p.impact, p.message, p.help_url), []).append(p)
        for (rule, impact, msg, url), items in axe.items():
            print(f"\n  axe {rule} [{impact}] {msg}\n    {url}")
            for p in items[:8]:
                print(f"    - [{p.identity}] {self.key(p.url)}")
                for t in p.targets[:5]:
                    print(f"        {t}")
                if len(p.targets) > 5:
                    print(f"        … and {len(p.targets) - 5} more elements")
            if len(items) > 8:
                print(f"    … and {len(items) - 8} more pages")
        others = [p for p in self.problems if not (p.kind == "axe" and p.rule)]
        if others:
            print("\n  Other problems:")
            for p in others:
                ref = f" (linked from {self.key(p.referrer)})" if p.referrer else ""
                print(f"    - {p.kind} [{p.identity}] {self.key(p.url)}: {p.message}{ref}")
                for t in p.targets[:5]:
                    print(f"        {t}")


def document_response(drv, url: str | None) -> tuple[int | None, str, str]:
    """The last main-document response in Chrome's performance log since it was last read."""
    status, mime, final = None, "", ""
    for entry in drv.get_log("performance"):
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if msg.get("method") != "Network.responseReceived":
            continue
        params = msg.get("params", {})
        if params.get("type") != "Document":
            continue
        resp = params.get("response", {})
        if not resp.get("url", "").startswith("http"):
            continue
        status, mime, final = resp.get("status"), resp.get("mimeType", ""), resp.get("url", "")
    return status, mime, final


def find_axe_script(explicit: str | None) -> str:
    """axe-core ≥ 4.5 for WCAG 2.2 rules.

    axe-selenium-python 2.1.6 (the last release for Python 3.11) bundles axe-core 3.1; the
    e2e requirements therefore also install axe-playwright-python with --no-deps, which ships
    a current axe.min.js (the package itself is never imported).
    """
    candidates = [explicit, os.environ.get("AXE_CORE_JS")]
    for pkg in ("axe_playwright_python", "axe_selenium_python"):
        spec = importlib.util.find_spec(pkg)
        if spec and spec.submodule_search_locations:
            root = Path(list(spec.submodule_search_locations)[0])
            candidates += [str(root / "axe.min.js"), str(root / "node_modules" / "axe-core" / "axe.min.js")]
    for c in candidates:
        if c and Path(c).is_file():
            return c
    raise SetupError("no axe.min.js found; pip install -r e2e/requirements.txt (see docs/ci.md)")


def version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:2])


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text.replace(":", "")).strip("-").lower()
    return s or "home"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080")
    ap.add_argument("--out-dir", default=".ci/out", help="report and screens/ go here")
    ap.add_argument("--accounts", default="admin,reviewer,member",
                    help="comma-separated demo accounts to sign in as ('' for anonymous only)")
    ap.add_argument("--password", default=DEMO_PASSWORD)
    ap.add_argument("--max-pages", type=int, default=150, help="per crawl (default 150)")
    ap.add_argument("--per-type", type=int, default=3, help="pages visited per page type (default 3)")
    ap.add_argument("--crawl-seconds", type=int, default=600, help="time budget per crawl")
    ap.add_argument("--page-timeout", type=int, default=30)
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--max-screenshot-height", type=int, default=12000)
    ap.add_argument("--skip-nojs", action="store_true", help="skip the JavaScript-disabled pass")
    ap.add_argument("--no-reflow", action="store_true", help="skip the 320 px reflow check")
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    ap.add_argument("--axe-js", help="path to axe.min.js (default: from the installed packages)")
    args = ap.parse_args()
    args.accounts = [a.strip() for a in args.accounts.split(",") if a.strip()]
    unknown = [a for a in args.accounts if a not in DEMO_ACCOUNTS]
    if unknown:
        ap.error(f"unknown account(s) {unknown}; choose from {list(DEMO_ACCOUNTS)}")
    try:
        return Checker(args).run()
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except WebDriverException as exc:
        print(f"error: the browser failed: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
