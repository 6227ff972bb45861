#!/usr/bin/env bash
# The NoteCoder page in a real browser: headless Chromium pastes a note, presses "Suggest codes",
# and checks that the codes table, the excluded findings, the queries and the evidence highlights
# appear, that every highlight covers exactly the words of its evidence (UTF-8 byte offsets turned
# into text correctly, multibyte characters included), that selecting a code highlights its
# evidence, and that the page fetched nothing but this server. Saves a screenshot.
#
#   scripts/browser-test.sh                 # build, serve on a free port, drive Chromium
#   SCRATCH_PATH=.build-server scripts/browser-test.sh
#   SCREENSHOT=/tmp/page.png scripts/browser-test.sh
#   NOTE=visit.txt scripts/browser-test.sh  # another note for the main pass (default: one below)
#
# How: Chromium is started with --remote-debugging-pipe, which speaks the DevTools protocol as
# NUL-separated JSON over file descriptors 3 and 4, so the driver is a short Python script with
# the standard library only (no WebSocket client, no Selenium, no Node packages). Input goes
# through the protocol's Input domain: text inserted into the focused textarea as a paste would,
# and real mouse presses at the button's coordinates.
#
# Needs: swift, python3, and Chromium (installed from Debian's packages when missing).
# Exit status: 0 all checks passed; 1 a check failed; 2 setup failed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH_PATH=${SCRATCH_PATH:-.build}
SCREENSHOT=${SCREENSHOT:-$ROOT/docs/screenshot.png}
NOTE=${NOTE:-}
OFFSET_NOTE=${OFFSET_NOTE:-$ROOT/Corpus/notes/nc-009.txt}

say() { printf 'browser-test: %s\n' "$*" >&2; }

# --- Chromium ------------------------------------------------------------------------------------
find_chromium() {
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    done
    return 1
}
if ! CHROMIUM=$(find_chromium); then
    say "Chromium is missing; installing it from Debian's packages"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || { say "not root and no sudo: install chromium by hand"; exit 2; }
        SUDO=sudo
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null \
        || { $SUDO apt-get update >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null; } \
        || { say "could not install chromium"; exit 2; }
    CHROMIUM=$(find_chromium) || { say "chromium installed but not found on PATH"; exit 2; }
fi
say "using $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"

# --- build and start the server --------------------------------------------------------------------
say "building notecoder (scratch path $SCRATCH_PATH)"
swift build --scratch-path "$SCRATCH_PATH" --product notecoder >&2
BIN=$(swift build --scratch-path "$SCRATCH_PATH" --show-bin-path)/notecoder

WORK=$(mktemp -d "${TMPDIR:-/tmp}/notecoder-browser.XXXXXX")
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Port 0: the system picks a free port and the server prints the address it got.
"$BIN" serve --host 127.0.0.1 --port 0 --lexicons "$ROOT/Lexicons" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 600); do
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$WORK/server.out" 2>/dev/null | head -n 1 || true)
    [ -n "$URL" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        say "the server exited early:"; cat "$WORK/server.err" >&2; exit 2
    fi
    sleep 0.1
done
[ -n "$URL" ] || { say "the server printed no address within 60 s"; cat "$WORK/server.err" >&2; exit 2; }
say "server at $URL"

# The main pass pastes this synthetic note (no real person): a knee injection whose side is not
# documented (so provider queries appear), trigger points with an NCCI pair, a negated, a planned,
# a historical and a family-history finding.
if [ -z "$NOTE" ]; then
    NOTE="$WORK/demo-note.txt"
    cat >"$NOTE" <<'NOTE_TEXT'
PAIN MEDICINE CLINIC - PROCEDURE VISIT
Date of Service: 04/22/2025
Patient: synthetic example written for the NoteCoder browser test (no real person)

CHIEF COMPLAINT: Knee pain; neck and upper back pain.

HPI: 67-year-old man with knee pain for three years, worse on stairs, 7/10 despite physical therapy and naproxen. He also has tight, tender knots in the right upper trapezius, right rhomboid major and right levator scapulae, with pain spreading toward the shoulder blade. A knee injection in 2023 helped for four months.

FAMILY HISTORY: Sister with rheumatoid arthritis.
REVIEW OF SYSTEMS: Denies numbness or tingling in the hands. No low back pain.

PHYSICAL EXAMINATION:
Knee: crepitus, medial joint line tenderness, small effusion.
Upper back: taut bands with reproducible referring trigger points in the right upper trapezius, right rhomboid major and right levator scapulae.
Wrists: Phalen’s and Tinel’s negative; no evidence of carpal tunnel syndrome.

ASSESSMENT:
1. Primary osteoarthritis of the knee.
2. Myofascial pain syndrome of the right upper trapezius, rhomboid major and levator scapulae.

PROCEDURE 1: Knee intra-articular injection, landmark guided. After consent and time-out, 40 mg triamcinolone with 4 mL 1% lidocaine was injected into the knee joint. No complications.

PROCEDURE 2: Trigger point injections to the right upper trapezius, right rhomboid major and right levator scapulae (three muscles), 1 mL 1% lidocaine each.

PLAN: Home exercise program. Will consider a greater occipital nerve block if headaches start. Follow up in 6 weeks.
NOTE_TEXT
fi

# --- the driver --------------------------------------------------------------------------------------
cat >"$WORK/drive.py" <<'PYTHON'
import base64, json, os, queue, subprocess, sys, tempfile, threading, time, urllib.request

chromium, base, note_path, offset_note_path, screenshot = sys.argv[1:6]
failures = []

def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message, file=sys.stderr)
    if not ok:
        failures.append(message)


class Browser:
    """Chromium over --remote-debugging-pipe: JSON messages ended by NUL on fds 3 (in) and 4 (out)."""

    def __init__(self):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="notecoder-chromium-")
        flags = ["--headless=new", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run",
                 "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--font-render-hinting=none", "--user-data-dir=" + self.profile]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")
        # The shell puts the pipes on fds 3 and 4, where Chromium expects them, then becomes Chromium.
        command = ['sh', '-c', 'exec "$0" "$@" 3<&%d 4>&%d' % (to_chrome_r, from_chrome_w), chromium] + flags + ["about:blank"]
        self.process = subprocess.Popen(command, pass_fds=(to_chrome_r, from_chrome_w),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.inbox = queue.Queue()
        self.events = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                self.inbox.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self.inbox.put(json.loads(message))

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            try:
                reply = self.inbox.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                raise RuntimeError("no answer to %s within %s s" % (method, timeout))
            if reply is None:
                raise RuntimeError("Chromium closed the pipe")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        subprocess.run(["rm", "-rf", self.profile])


class Page:
    def __init__(self, browser):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable")

    def send(self, method, params=None, timeout=30):
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def js(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError("page script failed: %s" % result["exceptionDetails"].get("text"))
        return result["result"].get("value")

    def wait_for(self, expression, timeout=30, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(expression):
                return True
            time.sleep(0.1)
        raise RuntimeError("timed out waiting for " + what)

    def click(self, selector):
        box = self.js("""(() => { const n = document.querySelector(%s); n.scrollIntoView({block: 'center'});
            const r = n.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()""" % json.dumps(selector))
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def paste(self, selector, text):
        self.js("document.querySelector(%s).focus()" % json.dumps(selector))
        self.send("Input.insertText", {"text": text})


def api_codes(text):
    request = urllib.request.Request(base + "v1/suggest", data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    report = json.load(urllib.request.urlopen(request, timeout=60))
    return [d["code"] for d in report["diagnoses"]] + [p["code"] for p in report["procedures"]]


# Runs in the page: for every evidence passage of the report, the text of the highlights that
# carry its reference inside its byte range must be exactly the evidence text.
EVIDENCE_CHECK = r"""(() => {
  const r = window.NoteCoderPage.report;
  const groups = [];
  r.diagnoses.forEach((d, i) => d.evidence.forEach(e => groups.push(['dx-' + i, e])));
  r.procedures.forEach((p, i) => p.evidence.forEach(e => groups.push(['px-' + i, e])));
  r.excluded.forEach((x, i) => groups.push(['ex-' + i, x.evidence]));
  r.queries.forEach((q, i) => q.indicators.forEach(e => groups.push(['q-' + i, e])));
  const marks = [...document.querySelectorAll('#rendered .hl')];
  const bad = [];
  for (const [ref, e] of groups) {
    const text = marks.filter(m => m.dataset.refs.split(' ').includes(ref)
        && +m.dataset.start >= e.start && +m.dataset.end <= e.end).map(m => m.textContent).join('');
    if (text !== e.text) bad.push({ref, expected: e.text, got: text});
  }
  return {passages: groups.length, bad};
})()"""

SUMMARY = r"""(() => ({
  codes: [...document.querySelectorAll('#codes tbody tr')].map(tr => tr.querySelector('.code-button').textContent),
  dxRows: document.querySelectorAll('#codes tbody .kind.dx').length,
  pxRows: document.querySelectorAll('#codes tbody .kind.px').length,
  excludedRows: document.querySelectorAll('#excluded tbody tr').length,
  queries: document.querySelectorAll('#queries .query').length,
  copyButtons: document.querySelectorAll('#queries .query button.copy').length,
  edits: document.getElementById('edits-block').hidden ? 0 : document.querySelectorAll('#edits li').length,
  reportEdits: (window.NoteCoderPage.report.edits || []).length,
  marks: Object.fromEntries(['dx', 'px', 'ex', 'cue', 'attr'].map(k => [k, document.querySelectorAll('#rendered .hl.' + k).length])),
  renderedIsNote: document.getElementById('rendered').textContent === document.getElementById('note').value,
  status: document.getElementById('status').textContent,
  statusIsError: document.getElementById('status').classList.contains('error'),
}))()"""


def suggest(page, text):
    page.js("document.getElementById('note').value = ''; document.getElementById('results').hidden = true;")
    page.paste("#note", text)
    check(page.js("document.getElementById('note').value") == text, "the pasted note is in the text area")
    page.click("#suggest")
    page.wait_for("!document.getElementById('results').hidden || document.getElementById('status').classList.contains('error')",
                  timeout=60, what="the results")
    return page.js(SUMMARY)


browser = Browser()
try:
    page = Page(browser)
    page.send("Emulation.setDeviceMetricsOverride", {"width": 1440, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    page.send("Page.navigate", {"url": base})
    page.wait_for("document.body && document.body.dataset.ready === 'true'", what="the page to load")
    print("page loaded: " + page.js("document.title"), file=sys.stderr)

    # 1. Multibyte characters before and inside the note: 2-, 3- and 4-byte UTF-8 (an emoji is two
    #    UTF-16 units), so byte offsets and string indexes disagree and a wrong conversion shows.
    print("note with multibyte characters (%s):" % os.path.basename(offset_note_path), file=sys.stderr)
    with open(offset_note_path, encoding="utf-8") as f:
        stressed = "Clinic: Ñandú Pain Center — “Zoë” 😀 ✓ 10°\n" + f.read().replace("Right knee", "Right knee 🦵", 1)
    summary = suggest(page, stressed)
    check(not summary["statusIsError"], "no error: " + summary["status"])
    check(summary["dxRows"] > 0 and summary["pxRows"] > 0, "diagnoses and procedures listed: %s" % summary["codes"])
    check(summary["renderedIsNote"], "the highlighted note shows the pasted text exactly")
    evidence = page.js(EVIDENCE_CHECK)
    check(evidence["passages"] > 0 and not evidence["bad"],
          "each of %d evidence passages highlighted over exactly its words %s" % (evidence["passages"], evidence["bad"][:2]))

    # 2. The page's own sample note, loaded by its button.
    page.js("document.getElementById('note').value = ''; document.getElementById('results').hidden = true;")
    page.click("#sample")
    page.click("#suggest")
    page.wait_for("!document.getElementById('results').hidden || document.getElementById('status').classList.contains('error')",
                  timeout=60, what="the results")
    summary = page.js(SUMMARY)
    check(not summary["statusIsError"] and summary["dxRows"] > 0 and summary["pxRows"] > 0,
          "the 'Load a sample note' button gives a note with codes: %s" % summary["codes"])
    evidence = page.js(EVIDENCE_CHECK)
    check(not evidence["bad"], "each of %d evidence passages highlighted over exactly its words" % evidence["passages"])

    # 3. The main note: codes, highlights of every kind, excluded findings, queries, selection.
    print("main note (%s):" % os.path.basename(note_path), file=sys.stderr)
    with open(note_path, encoding="utf-8") as f:
        text = f.read()
    summary = suggest(page, text)
    check(not summary["statusIsError"], "no error: " + summary["status"])
    check(summary["codes"] == api_codes(text), "the table lists the API's codes in order: %s" % summary["codes"])
    check(summary["dxRows"] > 0, "%d diagnosis rows" % summary["dxRows"])
    check(summary["pxRows"] > 0, "%d procedure rows" % summary["pxRows"])
    check(summary["marks"]["dx"] > 0 and summary["marks"]["px"] > 0, "diagnosis and procedure highlights: %s" % summary["marks"])
    check(summary["marks"]["ex"] > 0 and summary["excludedRows"] > 0,
          "%d findings set aside, highlighted in the note" % summary["excludedRows"])
    check(summary["marks"]["cue"] > 0, "the cues that set findings aside are highlighted")
    check(summary["queries"] > 0 and summary["queries"] == summary["copyButtons"],
          "%d provider queries, each with a Copy button" % summary["queries"])
    check(summary["edits"] == summary["reportEdits"], "%d claim edits listed" % summary["edits"])
    check(summary["renderedIsNote"], "the highlighted note shows the pasted text exactly")
    evidence = page.js(EVIDENCE_CHECK)
    check(not evidence["bad"], "each of %d evidence passages highlighted over exactly its words" % evidence["passages"])

    # Selecting a code (a real click on its button) highlights its evidence and only that.
    first = "#codes tbody tr:first-child .code-button"
    page.click(first)
    selected = page.js(r"""(() => {
      const ref = document.querySelector('#codes tbody tr:first-child').dataset.ref;
      const sel = [...document.querySelectorAll('#rendered .hl.selected')];
      return {ref, count: sel.length, allMine: sel.every(m => m.dataset.refs.split(' ').includes(ref)),
              rowSelected: document.querySelector('#codes tbody tr:first-child').classList.contains('is-selected'),
              pressed: document.querySelector('#codes tbody tr:first-child .code-button').getAttribute('aria-pressed')};
    })()""")
    check(selected["count"] > 0 and selected["allMine"] and selected["rowSelected"] and selected["pressed"] == "true",
          "clicking %s highlights its %d evidence pieces" % (summary["codes"][0], selected["count"]))

    # The first query's Copy button puts the query text on the clipboard.
    if summary["queries"]:
        browser.send("Browser.grantPermissions", {"origin": base.rstrip("/"),
                                                   "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        page.click("#queries .query:first-child button.copy")
        page.wait_for("document.querySelector('#queries .query:first-child button.copy').textContent !== 'Copy'",
                      timeout=10, what="the copy button")
        copied = page.js("""navigator.clipboard.readText().then(t => t === NoteCoderPage.report.queries[0].text,
                                                                  () => 'unreadable')""")
        label = page.js("document.querySelector('#queries .query:first-child button.copy').textContent")
        check(label == "Copied" and copied in (True, "unreadable"),
              "Copy puts the first query on the clipboard (button says %r, clipboard matches: %s)" % (label, copied))

    # The page used nothing but this server.
    urls = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    foreign = [u for u in urls if not (u.startswith(base) or u.startswith("data:") or u == "about:blank")]
    check(bool(urls) and not foreign, "%d requests, all to %s %s" % (len(urls), base, foreign))
    errors = [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
              or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")]
    check(not errors, "no script errors or console errors %s" % [json.dumps(e)[:200] for e in errors[:2]])

    # Screenshot of the whole page, with the first code selected.
    page.js("window.scrollTo(0, 0); document.getElementById('note').scrollTop = 0; document.activeElement && document.activeElement.blur()")
    height = int(page.js("Math.min(3200, document.documentElement.scrollHeight)"))
    page.send("Emulation.setDeviceMetricsOverride", {"width": 1440, "height": height, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(0.3)
    shot = page.send("Page.captureScreenshot", {"format": "png"})
    os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
    with open(screenshot, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    print("screenshot: %s (1440x%d)" % (screenshot, height), file=sys.stderr)
except Exception as error:
    failures.append(str(error))
    print("  FAIL  " + str(error), file=sys.stderr)
finally:
    browser.close()

if failures:
    print("browser test: %d check(s) failed" % len(failures), file=sys.stderr)
    sys.exit(1)
print("browser test: all checks passed", file=sys.stderr)
PYTHON

status=0
python3 "$WORK/drive.py" "$CHROMIUM" "$URL" "$NOTE" "$OFFSET_NOTE" "$SCREENSHOT" || status=$?

# The server's output names requests, never notes.
if grep -q -i -e 'osteoarthritis' -e 'triamcinolone' "$WORK/server.out" "$WORK/server.err"; then
    say "FAIL: note text appeared in the server's output"; status=1
else
    say "ok: the server logged $(grep -c ' /v1/suggest ' "$WORK/server.err" || true) suggest requests and no note text"
fi
exit "$status"
