#!/usr/bin/python3
"""browser-report.py - report.html in a real browser (TAP; run by
cli-browser.sh): headless Chromium, driven by chromedriver through
Debian's python3-selenium.

For the reports of shipped scenarios: no console error and no network
request; the replay's board equals versions.csv at every sample time,
t = 0 included (a row at T is the state after every event at T, and the
board at T shows every event at or before T, design.md 7.3); the slider and the URL (#t=...) agree; every plot
is there and decodes.  And a report whose files hold markup and script
shows them as text and runs none of it.

Usage: browser-report.py ROLLSIM SRCDIR TMPDIR
"""
import csv
import json
import os
import subprocess
import sys
import time

rollsim, src, tmp = sys.argv[1:4]
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, what), flush=True)


def run(name, *extra):
    out = os.path.join(tmp, name)
    subprocess.run([rollsim, "run", "-q", "-o", out, *extra], check=True)
    return out


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:
    print("1..0 # SKIP python3-selenium is not installed")
    sys.exit(0)

scenarios = [
    # (directory name, arguments, with plots)
    ("seed", [], True),
    ("canary-router", [src + "/scenarios/canary-good-router.ini"], True),
    ("bluegreen-bad", [src + "/scenarios/bluegreen-bad.ini", "--no-plots"], False),
    ("node-loss", [src + "/scenarios/timeline-node-loss.ini", "--no-plots"], False),
    ("hpa", [src + "/scenarios/autoscaling-rolling-burst.ini", "--no-plots"], False),
    ("small-cluster", [src + "/scenarios/bluegreen-small-cluster.ini", "--no-plots"], False),
    ("prestop", [src + "/scenarios/prestop-none.ini", "--no-plots"], False),
]
flagger = src + "/scenarios/flagger-canary-good.ini"
if os.path.exists(flagger):
    scenarios.append(("flagger", [flagger, "--no-plots"], False))
dirs = {}
for name, args, plots in scenarios:
    dirs[name] = run(name, *args)

# A report whose files hold markup and script: the description, a
# detail of events.csv and a line of trace.txt.
evil = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>'
bad = run("evil", "--no-plots", "--set", "scenario.description=" + evil)
with open(bad + "/events.csv") as f:
    rows = list(csv.reader(f))
rows[3][5] = evil + " \u2028 & \"quotes\""
rows[4][2] = "</script><b>pod</b>"
with open(bad + "/events.csv", "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
with open(bad + "/trace.txt", "a") as f:
    f.write("t=1.000s " + evil + "\n")
subprocess.run([rollsim, "report", "--no-plots", bad], check=True,
               stdout=subprocess.DEVNULL)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--window-size=1200,900",
             "--user-data-dir=" + os.path.join(tmp, "chromium-profile")):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
t0 = time.time()
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                          options=options)
driver.set_page_load_timeout(30)


def open_report(d, fragment=""):
    # What the browser did before (its first tab: a fresh profile's new
    # tab page asks for chrome-untrusted://new-tab-page/...) is not the
    # report's: drop it.
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get("file://" + os.path.abspath(d) + "/report.html" + fragment)
    driver.execute_script("return document.readyState")


def logs():
    """Console errors, and requests for anything but the page itself."""
    errors = [e["message"] for e in driver.get_log("browser")
              if e["level"] in ("SEVERE", "ERROR")]
    requests = []
    for e in driver.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m["method"] == "Network.requestWillBeSent":
            url = m["params"]["request"]["url"]
            scheme = url.split(":", 1)[0]
            page = url.startswith("file://") and url.split("#")[0].endswith("/report.html")
            # The browser's own pages (its blank tab) are not the report's.
            if scheme not in ("data", "chrome", "chrome-untrusted", "about",
                              "devtools") and not page:
                requests.append(url)
    return errors, requests


# The board against versions.csv: counts per version from the DOM.
COUNT_JS = """
var out = {};
arguments[0].forEach(function (t) {
  window.rollsimReplay.seek(t, true);
  var r = {};
  document.querySelectorAll('#replicasets tr[data-version]').forEach(function (tr) {
    var v = tr.dataset.version;
    r[v] = {desired: +tr.dataset.desired, pods: +tr.dataset.pods, ready: +tr.dataset.ready,
            pending: 0, starting: 0, cready: 0, available: 0, terminating: 0, cpods: 0};
  });
  document.querySelectorAll('#board .pod[data-pod]').forEach(function (p) {
    var c = r[p.dataset.version], s = p.dataset.state;
    if (!c) return;
    if (s === 'terminating') { c.terminating++; return; }
    c.cpods++;
    if (s === 'pending') c.pending++;
    else if (s === 'ready' || s === 'available') c.cready++;
    else c.starting++;
    if (s === 'available') c.available++;
  });
  out[String(t)] = r;
});
return out;
"""

for name, args, plots in scenarios:
    d = dirs[name]
    open_report(d)
    errors, requests = logs()
    ok(not errors, "%s: no console error %s" % (name, errors[:2]))
    ok(not requests, "%s: no network request %s" % (name, requests[:2]))
    with open(d + "/versions.csv") as f:
        rows = list(csv.DictReader(f))
    by_time = {}
    for r in rows:
        by_time.setdefault(float(r["time_s"]), {})[r["version"]] = r
    times = sorted(by_time)
    # Every sample time, at that very time.
    got = driver.execute_script(COUNT_JS, times)
    bad_rows = []
    for t in times:
        key = [k for k in got if abs(float(k) - t) < 1e-6]
        board = got[key[0]] if key else {}
        for v, r in by_time[t].items():
            b = board.get(v)
            want = {k: int(r[k]) for k in ("desired", "pods", "ready", "pending",
                                           "starting", "available", "terminating")}
            have = None if b is None else {
                "desired": b["desired"], "pods": b["pods"], "ready": b["ready"],
                "pending": b["pending"], "starting": b["starting"],
                "available": b["available"], "terminating": b["terminating"]}
            if have != want or b["cpods"] != b["pods"] or b["cready"] != b["ready"]:
                bad_rows.append((t, v, want, have))
    ok(not bad_rows, "%s: the board equals versions.csv at all %d sample times %s"
       % (name, len(times), bad_rows[:1]))
    if plots:
        want = ["pods", "pods-rollout", "traffic", "errors", "latency"]
        decoded = driver.execute_script("""
            return Array.prototype.map.call(document.querySelectorAll('figure[data-plot] img'),
              function (i) { return [i.closest('figure').dataset.plot, i.complete && i.naturalWidth > 0]; });""")
        present = {p for p, good in decoded if good}
        ok(all(p in present for p in want), "%s: every plot is there and decodes (%s)"
           % (name, ", ".join(sorted(present))))

# An experiment's page: its table and plots, nothing fetched.
cmp_dir = os.path.join(tmp, "compare")
subprocess.run([rollsim, "compare", "-q", "--reps", "2", "--strategy", "rolling,recreate",
                "-o", cmp_dir], check=True)
open_report(cmp_dir)
errors, requests = logs()
decoded = driver.execute_script("""
    return Array.prototype.map.call(document.querySelectorAll('figure[data-plot] img'),
      function (i) { return [i.closest('figure').dataset.plot, i.complete && i.naturalWidth > 0]; });""")
rows = driver.execute_script("return document.querySelectorAll('#variants tbody tr').length")
ok(not errors and not requests and rows == 2
   and {p for p, good in decoded if good} >= {"compare-pods", "compare-errors"},
   "compare: its table, its plots, no console error, no request (%s)" % decoded)

# Slider and URL.
d = dirs["seed"]
open_report(d, "#t=42.5")
v = driver.execute_script("return [document.getElementById('slider').value, "
                          "document.getElementById('clock').textContent]")
ok(v[0] == "42.5" and v[1] == "42.500 s", "#t=42.5 opens the replay at 42.5 s (%s)" % v)
v = driver.execute_script("""
    var s = document.getElementById('slider');
    s.value = '17.25';
    s.dispatchEvent(new Event('input'));
    return [location.hash, s.value, document.querySelectorAll('#board .pod[data-pod]').length];""")
ok(v[0] == "#t=17.25" and v[1] == "17.25", "moving the slider to 17.25 sets the URL (%s)" % v[:2])
driver.execute_script("location.hash = '#t=12'")
time.sleep(0.1)
v = driver.execute_script("return document.getElementById('slider').value")
ok(v == "12", "a new #t=12 moves the slider (%s)" % v)
board = driver.execute_script("""
    window.rollsimReplay.seek(10.5, true);
    return Array.prototype.map.call(document.querySelectorAll('#board .pod[data-pod]'),
      function (p) { return [p.dataset.pod, p.dataset.version, p.dataset.state,
                             p.closest('.node').dataset.node]; });""")
ok(sorted(board) == [["hello1-1", "hello1", "available", "node-1"],
                     ["hello1-2", "hello1", "available", "node-2"],
                     ["hello1-3", "hello1", "available", "node-3"],
                     ["hello2-1", "hello2", "pulling", "node-1"]],
   "at 10.5 s the warm pods sit on their nodes and hello2-1 is pulling (%s)" % board)
narr = driver.execute_script("return document.querySelector('#narration .now').textContent")
ok(narr.startswith("t=10.000s pod hello2-1 scheduled on node-1"),
   "the narration line at 10.5 s is the trace's last line (%s)" % narr)
v = driver.execute_script("""
    document.getElementById('kind-filter').value = String(%d);
    document.getElementById('kind-filter').dispatchEvent(new Event('change'));
    return Array.prototype.map.call(document.querySelectorAll('#events-table tbody tr'),
      function (tr) { return tr.cells[1].textContent; });""" %
    driver.execute_script("return JSON.parse(document.getElementById('rollsim-data').textContent).kinds.indexOf('replicaset-scaled')"))
ok(len(v) == 5 and set(v) == {"replicaset-scaled"}, "the event table filters by kind (%d rows)" % len(v))
v = driver.execute_script("""
    document.getElementById('kind-filter').value = '';
    document.getElementById('kind-filter').dispatchEvent(new Event('change'));
    var o = document.getElementById('object-filter');
    o.value = 'hello2-3';
    o.dispatchEvent(new Event('input'));
    return Array.prototype.map.call(document.querySelectorAll('#events-table tbody tr'),
      function (tr) { return tr.cells[2].textContent; });""")
ok(len(v) >= 5 and set(v) == {"hello2-3"}, "the event table filters by object (%d rows)" % len(v))

# Markup and script in the files are text.
open_report(bad)
errors, requests = logs()
v = driver.execute_script("""
    return [window.pwned === undefined, document.querySelectorAll('img[src=x], b').length,
            document.querySelector('.desc').textContent];""")
ok(v[0] and v[1] == 0 and v[2] == evil,
   "markup in the description, events.csv and trace.txt stays text, no script runs (%s)" % v[:2])
v = driver.execute_script("""
    var o = document.getElementById('object-filter');
    o.value = '</script>';
    o.dispatchEvent(new Event('input'));
    return document.querySelector('#events-table tbody tr').cells[2].textContent;""")
ok(v == "</script><b>pod</b>", "an object name with markup is shown as written (%s)" % v)
ok(not errors and not requests, "the tampered report: no console error, no request %s" % (errors + requests)[:2])

driver.quit()
print("# browser: %.1f s" % (time.time() - t0))
print("1..%d" % n)
sys.exit(1 if failed else 0)
