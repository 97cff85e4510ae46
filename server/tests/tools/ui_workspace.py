#!/usr/bin/env python3
"""Drives the web workspace in headless Chromium against the real binary.

Usage: ui_workspace.py BINARY SCREENSHOT_DIR

Starts `BINARY serve` on a free loopback port with a fresh data directory
(the starter glossary) and an API key, then walks through the workspace as
a user would: lookup without diacritics, a concept edit with the version
check and a conflict from a second tab, mining a pasted document and
reviewing it by keyboard, the translate page, import and export, and the
Vietnamese interface. Saves a screenshot of each page in SCREENSHOT_DIR.
Exits non-zero (with the step that failed) on the first failed check.
Needs `selenium` (PyPI) and Debian's `chromium` and `chromium-driver`.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

KEY = "ui-test-key"
WAIT = 20

# A short press release, pasted into the mining page. The repeated phrases
# become candidates.
DOCUMENT = """Hà Nội, ngày 12 tháng 3 năm 2026.
Hai bên nhất trí thúc đẩy hợp tác kinh tế số và chuyển đổi năng lượng công bằng trong khuôn khổ quan hệ đối tác chiến lược toàn diện.
Bộ trưởng Bộ Ngoại giao khẳng định hợp tác kinh tế số là trụ cột mới của quan hệ song phương.
Hai bên hoan nghênh kết quả của cơ chế đối thoại chiến lược về chuyển đổi năng lượng công bằng.
Các doanh nghiệp hai nước được khuyến khích tham gia hợp tác kinh tế số và chuyển đổi năng lượng công bằng.
Hai bên nhấn mạnh vai trò của cơ chế đối thoại chiến lược trong việc tăng cường tin cậy chính trị.
Bộ trưởng Bộ Ngoại giao đề nghị mở rộng hợp tác kinh tế số sang lĩnh vực đổi mới sáng tạo.
Cơ chế đối thoại chiến lược sẽ họp thường niên luân phiên tại hai nước.
Chuyển đổi năng lượng công bằng là ưu tiên chung của hai bên trong giai đoạn tới.
"""

# Pairs whose sources contain "hợp tác kinh tế số" (a candidate of DOCUMENT).
TM_EVIDENCE = [
    ("Hai bên nhất trí đẩy mạnh hợp tác kinh tế số.", "The two sides agreed to step up digital economy cooperation."),
    ("Hợp tác kinh tế số là trụ cột mới của quan hệ hai nước.", "Digital economy cooperation is a new pillar of relations between the two countries."),
    ("Các bộ ngành sẽ xây dựng kế hoạch hợp tác kinh tế số.", "The ministries will draw up a plan for digital economy cooperation."),
]

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
<tbxHeader><fileDesc><sourceDesc><p>workspace browser test</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="uitest1">
<langSec xml:lang="vi"><termSec><term>ngoại giao cây tre</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>bamboo diplomacy</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""


class Failed(Exception):
    pass


def step(name):
    print(f"== {name}", flush=True)


def start_server(binary, data_dir):
    proc = subprocess.Popen(
        [binary, "serve", "--data-dir", data_dir, "--bind", "127.0.0.1:0", "--workers", "2", "--api-key", KEY],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RUST_LOG": "info"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            # Keep draining the log so the server never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, m.group(1)
    proc.kill()
    raise Failed("the server did not report a listening address")


def api(base, method, path, body=None):
    req = urllib.request.Request(base + path, method=method)
    req.add_header("Authorization", f"Bearer {KEY}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, data) as resp:
        return json.loads(resp.read() or b"null")


def browser(download_dir):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tempfile.mkdtemp(prefix='ui-chrome-')}",
        "--window-size=1280,900",
        "--lang=en-US",
    ]:
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"download.default_directory": download_dir, "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


class Page:
    def __init__(self, driver, base, shots):
        self.d = driver
        self.base = base
        self.shots = shots

    def go(self, path):
        self.d.get(self.base + path)

    def until(self, what, fn, timeout=WAIT):
        try:
            return WebDriverWait(self.d, timeout, ignored_exceptions=[StaleElementReferenceException]).until(lambda d: fn())
        except TimeoutException:
            alert = self.d.find_elements(By.ID, "alert")
            shown = alert[0].text if alert and alert[0].is_displayed() else ""
            self.shot("failure")
            raise Failed(f"timed out waiting for {what} (url {self.d.current_url}; alert: {shown!r})")

    def css(self, sel):
        return self.d.find_elements(By.CSS_SELECTOR, sel)

    def one(self, sel):
        return self.until(sel, lambda: (self.css(sel) or [None])[0])

    def text(self, sel):
        try:
            return " ".join(e.text for e in self.css(sel))
        except StaleElementReferenceException:
            return ""  # re-rendered meanwhile: the next poll reads the new one

    def wait_text(self, sel, needle, timeout=WAIT):
        self.until(f"{needle!r} in {sel}", lambda: needle in self.text(sel), timeout)

    def status(self):
        return self.d.find_element(By.ID, "status").text

    def alert(self):
        el = self.d.find_element(By.ID, "alert")
        return el.text if el.is_displayed() else ""

    def shot(self, name):
        path = os.path.join(self.shots, f"{name}.png")
        self.d.save_screenshot(path)

    def set_key(self):
        k = self.one("#api-key")
        k.clear()
        k.send_keys(KEY, Keys.TAB)
        self.until("the key to be kept", lambda: "API key" in self.status() or "khoá API" in self.status())

    def press(self, key):
        self.d.switch_to.active_element.send_keys(key)


def run(binary, shots):
    os.makedirs(shots, exist_ok=True)
    data = tempfile.mkdtemp(prefix="ui-data-")
    downloads = tempfile.mkdtemp(prefix="ui-dl-")
    proc, base = start_server(binary, data)
    driver = None
    try:
        driver = browser(downloads)
        p = Page(driver, base, shots)

        step("GET / redirects to the workspace")
        p.go("/")
        p.until("the lookup page", lambda: "/ui/" in driver.current_url and p.css("#lookup-q"))

        step("lookup without diacritics shows the English")
        p.go("/ui/lookup?q=huu nghi vi dai")
        p.wait_text("#lookup-results", "hữu nghị vĩ đại")
        p.wait_text("#lookup-results", "great friendship")
        # Reported, not asserted (timings belong to benchmarks, not tests).
        load, shown = driver.execute_script(
            "return [performance.getEntriesByType('navigation')[0].loadEventEnd,"
            " performance.getEntriesByName('lookup-rendered')[0].startTime]"
        )
        print(f"   page loaded in {load:.0f} ms, hits on screen {shown:.0f} ms after navigation start")
        first = p.css(".hit")[0]
        if "hữu nghị vĩ đại" not in first.text or "great friendship" not in first.text:
            raise Failed(f"the first hit is not the expected one: {first.text!r}")
        p.shot("01-lookup")

        step("typing updates the results and the shareable URL")
        q = p.one("#lookup-q")
        q.clear()
        q.send_keys("doi tac chien luoc")
        p.until("the URL to follow the query", lambda: "q=doi%20tac%20chien%20luoc" in driver.current_url)
        p.wait_text("#lookup-results", "strategic partner")

        step("open a concept from a hit")
        p.css(".hit-head a")[0].click()
        p.until("the concept page", lambda: "/ui/concepts/" in driver.current_url and p.css("#concept-version"))
        cid = driver.current_url.rsplit("/", 1)[1]
        before = api(base, "GET", f"/api/v1/concepts/{cid}")
        p.shot("02-concept")

        step("a save without the API key says so clearly")
        p.one("#edit").click()
        p.one("#add-term").click()
        new = p.css(".term-edit")[-1]
        new.find_element(By.CSS_SELECTOR, ".term-text").send_keys("strategic partnership (ui test)")
        p.one("#save").click()
        p.until("the 401 message", lambda: "needs an API key" in p.alert())

        step("with the key the edit is saved and the version goes up")
        p.set_key()
        p.one("#save").click()
        v1 = before["version"] + 1
        p.wait_text("#concept-version", f"version {v1}")
        p.wait_text("main", "strategic partnership (ui test)")
        after = api(base, "GET", f"/api/v1/concepts/{cid}")
        if after["version"] != v1 or not any(t["text"] == "strategic partnership (ui test)" for t in after["terms"]):
            raise Failed(f"the edit did not reach the server: {after}")
        p.shot("03-concept-saved")

        step("a second tab changes the concept first: conflict")
        p.one("#edit").click()
        notes = p.css(".term-note")
        notes[0].clear()
        notes[0].send_keys("edited in the first tab")
        first_tab = driver.current_window_handle
        driver.switch_to.new_window("tab")
        p.go(f"/ui/concepts/{cid}")
        p.set_key()  # sessionStorage belongs to the tab
        p.one("#edit").click()
        p.one("#add-term").click()
        p.css(".term-edit")[-1].find_element(By.CSS_SELECTOR, ".term-text").send_keys("second tab term")
        p.one("#save").click()
        p.wait_text("#concept-version", f"version {v1 + 1}")
        driver.close()
        driver.switch_to.window(first_tab)
        p.one("#save").click()
        p.until("the conflict panel", lambda: p.css("#conflict") and p.css("#conflict")[0].is_displayed())
        p.wait_text("#conflict-theirs", "second tab term")
        p.wait_text("#conflict-mine", "edited in the first tab")
        p.shot("04-conflict")
        p.one("#keep-mine").click()
        p.wait_text("#concept-version", f"version {v1 + 2}")
        final = api(base, "GET", f"/api/v1/concepts/{cid}")
        if final["version"] != v1 + 2 or not any(t.get("note") == "edited in the first tab" for t in final["terms"]):
            raise Failed(f"keeping mine did not store the first tab's edit: {final}")

        step("deprecate a term: struck through with its note, here and in lookup")
        p.one("#edit").click()
        box = [b for b in p.css(".term-edit") if b.find_element(By.CSS_SELECTOR, ".term-text").get_attribute("value") == "strategic partnership (ui test)"][0]
        box.find_element(By.CSS_SELECTOR, "button.deprecate").click()
        box.find_element(By.CSS_SELECTOR, ".term-note").send_keys("use strategic partnership")
        p.one("#save").click()
        p.wait_text("#concept-version", f"version {v1 + 3}")
        p.wait_text(".term.gone del", "strategic partnership (ui test)")
        p.wait_text(".term.gone", "use strategic partnership")
        p.go("/ui/lookup?q=doi tac chien luoc")
        p.wait_text(".hit .term.gone del", "strategic partnership (ui test)")
        p.shot("04-deprecated-in-lookup")

        step("browse the concepts, filtered and paged")
        p.go("/ui/concepts?q=chien luoc")
        p.until("the concept table", lambda: len(p.css("table.list tbody tr")) > 0)
        if cid not in p.text("table.list"):
            raise Failed(f"the search does not list {cid}")
        p.shot("05-browse")
        p.go("/ui/concepts?status=deprecated")
        p.until("the deprecated filter", lambda: len(p.css("table.list tbody tr")) > 0)
        if cid not in p.text("table.list"):
            raise Failed(f"the filter 'has a deprecated term' does not list {cid}")
        if p.one("select[name=status]").get_attribute("value") != "deprecated":
            raise Failed("the status filter does not show the filter in use")
        p.go("/ui/concepts?missing_lang=en")
        p.until("the 'no English yet' filter", lambda: p.css("table.list") or "No concept" in p.text("main"))
        for row in p.css("table.list tbody tr"):
            if row.find_elements("css selector", "td")[2].text != "—":
                raise Failed(f"'no English yet' lists a concept with English: {row.text}")
        p.go("/ui/concepts")
        p.until("a full first page", lambda: len(p.css("table.list tbody tr")) == 25)
        first_page = p.text("table.list tbody")
        p.one(".pager button").click()
        p.wait_text("main", "Page 2.")
        if p.text("table.list tbody") == first_page:
            raise Failed("the next page shows the same concepts")

        step("mine a pasted document")
        # Translation-memory evidence for one of the terms the document will yield.
        for source, target in TM_EVIDENCE:
            api(base, "POST", "/api/v1/tm/units", {"src": "vi", "tgt": "en", "source": source, "target": target})
        p.go("/ui/mine")
        p.one("#mine-title").send_keys("Press release")
        text = p.one("#mine-text")
        driver.execute_script("arguments[0].value = arguments[1]", text, DOCUMENT)
        p.shot("06-mine")
        p.one("#mine-start").click()
        p.until("the review queue of the run", lambda: "/ui/review?run=" in driver.current_url)
        p.until("three candidates", lambda: len(p.css(".cand")) >= 3)
        p.until("the counts", lambda: p.css("#count-pending"))
        p.shot("07-review")

        def selected_term():
            return p.one(".cand.selected .cand-term").text

        step("accept by keyboard, the English pre-filled from the TM, then typed")
        for _ in range(len(p.css(".cand"))):
            if selected_term() == "hợp tác kinh tế số":
                break
            p.press("j")
        accepted = selected_term()
        if accepted != "hợp tác kinh tế số":
            raise Failed(f"the mined candidates lack 'hợp tác kinh tế số': {p.text('.cand-term')!r}")
        p.press("a")
        en = p.one("#accept-en")
        if driver.switch_to.active_element != en:
            raise Failed("'a' did not focus the English field")
        p.until("the English proposed from the TM", lambda: "digital economy" in en.get_attribute("value"))
        p.shot("08-accept-proposed")
        en.clear()
        en.send_keys("UI test equivalent", Keys.ENTER)
        p.until("the acceptance", lambda: "Accepted" in p.status() and accepted in p.status())

        step("j moves, then reject by keyboard with a reason")
        p.press("j")
        p.press("k")
        rejected = selected_term()
        if rejected == accepted:
            raise Failed("the accepted candidate is still selected")
        p.press("r")
        p.one("#reject-reason").send_keys("too general", Keys.ENTER)
        p.until("the rejection", lambda: "Rejected" in p.status() and rejected in p.status())

        step("merge by keyboard into a concept found by search")
        merged = selected_term()
        p.press("m")
        p.one("#merge-q").send_keys("doi tac chien luoc")
        p.until("merge search results", lambda: p.css(".merge-hits button.pick"))
        p.one("#merge-q").send_keys(Keys.ENTER)
        p.press(Keys.ENTER)
        p.until("the merge", lambda: "Merged" in p.status() and merged in p.status())
        p.until("the counts to move", lambda: p.text("#count-accepted") == "1" and p.text("#count-rejected") == "1" and p.text("#count-merged") == "1")
        p.shot("08-review-done")

        step("check the rest with x and reject them as a batch")
        left = len(p.css(".cand"))
        for i in range(left):
            if i:
                p.press("j")
            p.press("x")
        p.wait_text("#batch-count", f"{left} checked")
        p.shot("09-review-batch")
        p.one("#batch-reason").send_keys("not terms")
        p.one("#batch-reject").click()
        p.until("the batch rejection", lambda: f"Rejected {left} candidates (0 failed)" in p.status())
        p.until("the counts after the batch", lambda: p.text("#count-rejected") == str(1 + left) and p.text("#count-pending") == "0")
        p.wait_text("#cands", "No pending candidates")

        step("the accepted candidate is found by lookup")
        p.go("/ui/lookup?q=" + urllib.request.quote(accepted))
        p.wait_text("#lookup-results", "UI test equivalent")

        step("translate a sentence")
        api(base, "POST", "/api/v1/tm/units", {
            "src": "vi", "tgt": "en",
            "source": "Hai bên nhất trí tăng cường tình hữu nghị vĩ đại.",
            "target": "The two sides agreed to strengthen their great friendship.",
        })
        p.go("/ui/translate?q=" + urllib.request.quote("Hai bên nhất trí củng cố tình hữu nghị vĩ đại."))
        p.until("a recognised term", lambda: p.css(".sentence mark.term-mark"))
        p.wait_text(".rec-terms", "great friendship")
        p.until("a TM match", lambda: p.css(".match .pct"))
        p.until("the diff", lambda: p.css(".match mark.diff"))
        p.shot("10-translate")

        step("import a TBX file and read the report")
        tbx = os.path.join(downloads, "upload.tbx")
        with open(tbx, "w", encoding="utf-8") as f:
            f.write(TBX)
        p.go("/ui/exchange")
        p.one("#import-file").send_keys(tbx)
        p.one("#import-go").click()
        p.until("the import report", lambda: p.css("#import-report"))
        created = p.one("#import-report dd[data-k=created]").text
        if created != "1":
            raise Failed(f"the report says {created} created")

        step("download a TBX 2008 (martif) export")
        p.one("#exp-tbx-martif").click()
        p.until("the download", lambda: [f for f in os.listdir(downloads) if f.endswith(".tbx") and f != "upload.tbx"])
        got = [f for f in os.listdir(downloads) if f.endswith(".tbx") and f != "upload.tbx"][0]
        path = os.path.join(downloads, got)
        p.until("the download to finish", lambda: "</martif>" in open(path, encoding="utf-8").read())
        content = open(path, encoding="utf-8").read()
        if "bamboo diplomacy" not in content or "<martif" not in content:
            raise Failed("the martif export lacks the imported concept")
        p.shot("11-exchange")

        step("switch the interface to Vietnamese")
        Select(p.one("#ui-lang")).select_by_value("vi")
        p.wait_text("#nav", "Tra cứu")
        if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != "vi":
            raise Failed("the page language is not vi")
        p.go("/ui/lookup?q=huu nghi vi dai")
        p.wait_text("main", "Tra cứu thuật ngữ")
        p.wait_text("#lookup-results", "great friendship")
        p.shot("12-vietnamese")

        step("phone width")
        driver.set_window_size(390, 844)
        p.go("/ui/lookup?q=doi tac chien luoc")
        p.wait_text("#lookup-results", "strategic partner")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > 390:
            raise Failed(f"the page is {width} px wide at phone width")
        p.shot("13-phone")
        print("ok: all workspace checks passed")
    finally:
        if driver:
            driver.quit()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        run(sys.argv[1], sys.argv[2])
    except Failed as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
