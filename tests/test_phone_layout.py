"""The report on a phone (390 px wide), measured in headless Chromium: no horizontal page
overflow, numbers never broken across lines, charts no narrower than their labels allow.

Chromium's window has a minimum width larger than a phone's, so the report is shown in a 390 px
``<iframe>`` of a small page; a script added to a copy of the report measures it after layout and
posts the figures to that page, which Chromium's ``--dump-dom`` prints.
"""

from __future__ import annotations

import json
import re
import subprocess

from conftest import tool
from jixiao.writing import charts


def chromium() -> str:
    return tool("chromium", "chromium-browser", "google-chrome")


MEASURE = """<script>
window.addEventListener('load', function () {
  var d = document.documentElement, out = [];
  document.querySelectorAll('body *').forEach(function (e) {
    // an element sticking out of the page, not inside a box that scrolls it
    var r = e.getBoundingClientRect(), p = e.parentElement, inside = false;
    for (; p && p !== document.body; p = p.parentElement) {
      var x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll') { inside = true; break; }
    }
    if (!inside && r.right > d.clientWidth + 0.5) out.push(e.tagName + '.' + e.className);
  });
  var broken = [];
  document.querySelectorAll('.jx-table .num, .jx-table .jx-fig').forEach(function (e) {
    if (e.closest('.jx-wrap')) return;  // a long text (a goal) wraps in its column
    var tops = new Set();
    Array.prototype.forEach.call(e.getClientRects(), function (r) { tops.add(Math.round(r.top)); });
    if (tops.size > 1) broken.push(e.textContent);
  });
  var scrolling = 0;
  document.querySelectorAll('.jx-table').forEach(function (t) {
    if (getComputedStyle(t).overflowX === 'auto' && t.scrollWidth > t.clientWidth) scrolling++;
  });
  var images = Array.prototype.map.call(document.querySelectorAll('.jx-chart img'),
                                        function (i) { return i.getBoundingClientRect().width; });
  parent.postMessage(JSON.stringify({scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
    innerWidth: window.innerWidth, outside: out, broken: broken, scrolling: scrolling, images: images}), '*');
});
</script>"""

FRAME = """<!doctype html><html><body style="margin:0">
<script>window.addEventListener('message', function (e) {
  var p = document.createElement('pre'); p.id = 'measure'; p.textContent = e.data; document.body.appendChild(p);
});</script>
<iframe src="report.html" style="width:{width}px;height:800px;border:0"></iframe></body></html>"""


def measure(html: str, width: int, folder) -> dict:  # type: ignore[no-untyped-def]
    (folder / "report.html").write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    (folder / "frame.html").write_text(FRAME.replace("{width}", str(width)), encoding="utf-8")
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--hide-scrollbars", "--window-size=800,800",
         "--virtual-time-budget=15000", "--dump-dom", str(folder / "frame.html")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    found = re.search(r'<pre id="measure">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_no_horizontal_overflow_at_390_px(example, tmp_path):
    m = measure(example.html, 390, tmp_path)
    assert m["innerWidth"] == 390
    assert m["scrollWidth"] <= m["clientWidth"] == 390, m["outside"][:10]
    assert m["outside"] == []
    assert m["broken"] == []  # no "1520/.00"
    assert m["scrolling"] >= 14  # the wide tables scroll inside their own box (the 13 forms, the project table)
    # charts shrink to the column, no narrower than their 11 pt text allows (12 px at 360 px)
    assert len(m["images"]) == 19 and min(m["images"]) >= charts.PHONE_PX


def test_desktop_shows_charts_at_their_own_size(example, tmp_path):
    m = measure(example.html, 1280, tmp_path)
    assert m["scrollWidth"] <= m["clientWidth"] and m["broken"] == [] and m["scrolling"] == 0
    assert set(m["images"]) == {charts.SCREEN_PX}
