#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/, not committed) from the
projects in this repository: examples/ and the test fixtures' apps. Run by fuzz/run.sh."""
import io
import json
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
SOURCE = (".js", ".json", ".wxml", ".wxss", ".wxs", ".ts", ".less", ".scss")
MAX_SEED = 64 * 1024


def projects():
    yield os.path.join(REPO, "examples", "campus")
    fixtures = os.path.join(REPO, "tests", "fixtures")
    for name in sorted(os.listdir(fixtures)):
        app = os.path.join(fixtures, name, "app")
        if os.path.isdir(app) and not name.startswith("kitchen"):
            yield app


def files(root):
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("node_modules", "miniprogram_npm"))
        for n in sorted(names):
            if n.endswith(SOURCE):
                p = os.path.join(d, n)
                yield os.path.relpath(p, root), open(p, "rb").read()


def put(target, name, data):
    if len(data) > MAX_SEED:
        return
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    wxs = []
    for root in projects():
        name = os.path.basename(os.path.dirname(root)) if root.endswith("app") else os.path.basename(root)
        entries = list(files(root))
        text = b"".join(b"=== " + p.encode() + b"\n" + data for p, data in entries)
        put("package_dir", name, text)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p, data in entries:
                info = zipfile.ZipInfo(p, date_time=(2020, 1, 1, 0, 0, 0))
                z.writestr(info, data, zipfile.ZIP_DEFLATED)
        put("package_zip", name, buf.getvalue())
        wxs += [data for p, data in entries if p.endswith(".wxs")]
        for p, data in entries:
            flat = name + "-" + p.replace("/", "-")
            if p.endswith(".wxml"):
                put("templates", flat, data + (b"\0" + wxs[len(flat) % len(wxs)] if wxs else b""))
            elif p.endswith((".wxss", ".less")):
                put("styles", flat, data)
            elif p.endswith(".scss"):
                put("styles", flat, b"\0" + data)
    # Sheets for the target's page (its classes: a, b, item, row, title, active, hd, bd), by
    # kind: grid containers; what is rewritten before parsing (units the engine does not read,
    # font-size keywords, the inset shorthand, !important on rewritten declarations).
    sheets = {
        "grid": [
            b".a { display: grid; grid-template-columns: 100px repeat(2, minmax(0, 1fr)); gap: 10px 15px;"
            b" grid-auto-rows: 40px; }\n.item { justify-self: center; width: 20px; }",
            b".row { display: inline-grid; grid-template-rows: [top] 30px [mid] 1fr; grid-auto-flow: column dense;"
            b" grid-auto-columns: min-content max-content; justify-items: end; }",
            b".hd { display: grid; grid-template-columns: repeat(3, 1fr) 20%; }\n"
            b".bd { display: grid; grid-template-columns: auto 2fr; height: 50px; grid-template-rows: 10rpx; }",
        ],
        "rewrite": [
            b".a { font-size: 12pt; margin: 1in 2.54cm 3MM .5pc; width: 20ch; height: 2ex; padding: 4q; }\n"
            b".b { font-size: x-large; } .title { font-size: smaller !important; } .hd { font-size: LARGER }",
            b".item { position: absolute; inset: 0 calc(10px + 2%) 5rpx !important; }\n"
            b".row { display: -webkit-flex!important; -webkit-box-orient: vertical !important; inset: 1PT 2px; }",
        ],
    }
    for kind, texts in sheets.items():
        for i, text in enumerate(texts):
            put("styles", "%s-%d" % (kind, i), text)
    events = [
        {"type": "launch", "url": "pages/index/index?a=1", "scene": 1001},
        {"type": "show", "scene": 1011}, {"type": "hide"}, {"type": "back"},
        {"type": "tabTap", "index": 1}, {"type": "pageScroll", "scrollTop": 300, "scrollHeight": 2000},
        {"type": "reachBottom"}, {"type": "pullDown"},
        {"type": "resize", "width": 667, "height": 375, "safeArea": {"top": 0, "left": 44, "right": 44, "bottom": 21}},
        {"type": "share", "from": "menu"}, {"type": "networkChange", "connected": False, "networkType": "none"},
        {"type": "themeChange", "theme": "dark"}, {"type": "keyboardHeight", "height": 260},
        {"type": "memoryWarning", "level": 10}, {"type": "tap", "node": 2},
        {"type": "dispatch", "node": 2, "event": "longpress", "detail": {"x": 1}},
        {"type": "act", "node": 2, "action": {"action": "type", "text": "Ann"}},
        {"type": "advance", "ms": 16},
    ]
    actions = [
        {"action": "blur"}, {"action": "clickOverlay"}, {"action": "confirm"},
        {"action": "edit", "html": "<p>Hi</p>", "text": "Hi\n"}, {"action": "error", "message": "404"},
        {"action": "focus", "height": 300}, {"action": "keyboardHeight", "height": 0, "duration": 250},
        {"action": "load", "width": 640, "height": 320}, {"action": "move", "x": 10, "y": 20},
        {"action": "pick", "value": 2}, {"action": "pickCancel"}, {"action": "pickColumn", "column": 1, "index": 2},
        {"action": "pickerView", "value": [1, 0]}, {"action": "refresher", "phase": "pulling", "dy": 30},
        {"action": "scroll", "left": 0, "top": 300}, {"action": "slide", "value": 42, "done": False},
        {"action": "slideDown"}, {"action": "swipe", "current": 1}, {"action": "tap"}, {"action": "type", "text": "Ann"},
    ]
    for i, e in enumerate(events + actions):
        put("host_event", "seed-%02d" % i, json.dumps(e).encode())
    configs = [
        {"viewport": {"width": 375, "height": 667, "pixelRatio": 2}, "clock": "real"},
        {"appId": "wx_a", "dataDir": "/tmp/x", "clock": "virtual", "safeArea": {"top": 44}},
        {"policy": {"allow": ["network"], "network": {"allow": ["https://api.example.com"]}}},
    ]
    for i, e in enumerate(events):
        c = configs[i % len(configs)]
        a = actions[i % len(actions)]
        parts = [json.dumps(c), json.dumps(e), json.dumps(a), '{"value":"x"}', '{"ok":1}', "#list .item:nth-child(2)"]
        put("c_abi_json", "seed-%02d" % i, "\0".join(parts).encode())


if __name__ == "__main__":
    sys.exit(main())
