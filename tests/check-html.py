#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-html.py PAGE.html REPORT.json SCREENSHOT.png

Load `pageowner report --format html` in headless Chromium, offline, and
check that it rendered: the script ran to its end with no error and no
console message, the flame graph drew frames and adds up to the JSON
report's total, the charts and the table are there.  Grouped by zone,
the "By zone" chart has a bar for each zone of the JSON report with its
pages.  Take a screenshot.
The page must not refer to anything outside itself.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
    "--no-first-run", "--disable-extensions", "--disable-background-networking",
    # Every host fails to resolve: a page that fetched anything would
    # render without it, and the checks below would see the gap.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=10000",
]

# The SVG namespace is a name, not a fetch.
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?!#)[a-z]+:|"""
                      r"""url\(\s*["']?(?!#|data:)|@import|fetch\(|"""
                      r"""XMLHttpRequest|WebSocket|<link\b|<iframe\b""", re.I)


class Body(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs = None
        self.rects = 0
        self.bar_rows = 0
        self.table_rows = 0
        self.titles = []
        self._title = False
        self._top = False
        self.chart = None
        self.chart_bars = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and (a.get("id") or "").startswith("by-"):
            self.chart = a["id"]
        elif tag == "div" and a.get("class") == "bar" and self.chart:
            self.chart_bars.setdefault(self.chart, []).append(
                a.get("title", ""))
        if tag == "body":
            self.attrs = a
        elif tag == "rect":
            self.rects += 1
        elif tag == "div" and a.get("class") == "bar":
            self.bar_rows += 1
        elif tag == "table" and a.get("id") == "top":
            self._top = True
        elif tag == "tr" and self._top:
            self.table_rows += 1
        elif tag == "title":
            self._title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._title = False
        elif tag == "table":
            self._top = False

    def handle_data(self, data):
        if self._title:
            self.titles.append(data)


def chromium(args, err):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        sys.exit("chromium is not installed (Debian package chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [exe, *CHROMIUM_FLAGS, "--user-data-dir=" + profile, *args],
            stdout=subprocess.PIPE, stderr=err, timeout=120, check=True)


def main():
    page, report, shot = sys.argv[1:4]
    problems = []
    text = open(page, encoding="utf-8").read()
    for m in EXTERNAL.finditer(text.replace("http://www.w3.org/2000/svg", "")):
        problems.append("refers outside the page: %r" % m.group(0))
    doc = json.load(open(report))
    total = doc["summary"]["pages"]
    # Stacks draw many frames; without (page_owner off) there is the root
    # and at least one frame a group.
    if any(g["stack"] for g in doc["groups"]):
        want_rects = 50
    else:
        want_rects = len(doc["groups"]) + 1
    url = "file://" + os.path.abspath(page)

    with tempfile.TemporaryFile() as err:
        dom = chromium(["--enable-logging=stderr", "--v=0", "--dump-dom",
                        url], err).stdout.decode()
        err.seek(0)
        log = err.read().decode(errors="replace")
    console = [l for l in log.splitlines() if ":CONSOLE" in l]
    problems += ["console: " + l for l in console]

    body = Body()
    body.feed(dom)
    a = body.attrs or {}
    if a.get("data-rendered") != "1":
        problems.append("the script did not finish (no data-rendered)")
    if "data-errors" in a:
        problems.append("script errors: %s" % a["data-errors"])
    if body.rects < want_rects or str(body.rects) != a.get("data-frames"):
        problems.append("flame graph: %d rects, data-frames %s"
                        % (body.rects, a.get("data-frames")))
    if a.get("data-total") != str(total):
        problems.append("flame graph adds up to %s pages, the report to %d"
                        % (a.get("data-total"), total))
    root = "all: %s pages" % format(total, ",")
    if not any(t.startswith(root) for t in body.titles):
        problems.append("no root frame titled %r" % root)
    if body.bar_rows < 3 or str(body.bar_rows) != a.get("data-bars"):
        problems.append("charts: %d bars" % body.bar_rows)
    if body.table_rows < 2:
        problems.append("top owners table is empty")
    zones = {}
    for g in doc["groups"]:
        if "zone" in g["key"]:
            k = g["key"]
            name = "no zone" if k["zone"] is None else \
                (f"node {k['node']} " if k.get("node") is not None
                 else "") + k["zone"]
            zones[name] = zones.get(name, 0) + g["pages"]
    if zones:
        want = sorted(f"{z}: {p:,} pages" for z, p in zones.items())
        got = sorted(t.split(" (")[0] for t in
                     body.chart_bars.get("by-zone", []))
        if got != want:
            problems.append(f"by zone: bars {got}, report {want}")

    chromium(["--window-size=1400,1800", "--screenshot=" +
              os.path.abspath(shot), url], subprocess.DEVNULL)
    size = os.path.getsize(shot) if os.path.exists(shot) else 0
    with open(shot, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n" or size < 10000:
            problems.append("screenshot %s: %d bytes, not a page" % (shot, size))

    for p in problems:
        print(p)
    if problems:
        return 1
    print("rendered %d frames, %d bars, %d table rows, %d pages; "
          "no console messages; screenshot %s"
          % (body.rects, body.bar_rows, body.table_rows - 1, total, shot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
