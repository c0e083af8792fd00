#!/usr/bin/python3
"""Opens a Shoal watch page in headless Chromium and checks that the video plays.

  chromium_watch.py URL [--seconds S] [--timeout T]

Starts chromedriver (Debian's chromium-driver) on a free loopback port, opens URL in headless Chromium through
the W3C WebDriver protocol (plain HTTP, no selenium needed), then polls the page's <video> element until its
currentTime reaches S seconds (default 10) or T seconds pass (default 90). Prints one JSON object: currentTime,
the playback engine the page chose, media errors and `waiting` events seen. Exit status 0 when the video played
S seconds with no media error, 1 otherwise, 2 when chromium or chromedriver is missing.
"""
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise RuntimeError("%s %s: %s" % (method, path, error.read().decode(errors="replace")[:500]))


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    url = args[0]
    seconds = float(args[args.index("--seconds") + 1]) if "--seconds" in args else 10.0
    timeout = float(args[args.index("--timeout") + 1]) if "--timeout" in args else 90.0
    driver_path = shutil.which("chromedriver")
    browser_path = shutil.which("chromium")
    if not driver_path or not browser_path:
        print("chromium and chromedriver are needed: apt-get install chromium chromium-driver", file=sys.stderr)
        return 2
    port = free_port()
    driver = subprocess.Popen([driver_path, "--port=%d" % port, "--allowed-ips=127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    session = None
    try:
        deadline = time.time() + 30
        while True:
            try:
                call(base, "GET", "/status")
                break
            except Exception:
                if time.time() > deadline:
                    raise RuntimeError("chromedriver did not start")
                time.sleep(0.2)
        capabilities = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser_path,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
            },
        }}}
        session = call(base, "POST", "/session", capabilities)["value"]["sessionId"]
        call(base, "POST", "/session/%s/url" % session, {"url": url})
        script = ("const v = document.querySelector('video'); const s = window.shoalPlayer || {};"
                  "return {currentTime: v ? v.currentTime : -1, paused: v ? v.paused : true,"
                  " readyState: v ? v.readyState : 0, error: v && v.error ? v.error.code : null,"
                  " errors: s.errors || [], waiting: s.waiting || 0, engine: s.engine || '',"
                  " found: document.getElementById('found').textContent,"
                  " dht: document.getElementById('dht').textContent};")
        started = time.time()
        state = {}
        while time.time() - started < timeout:
            state = call(base, "POST", "/session/%s/execute/sync" % session, {"script": script, "args": []})["value"]
            if state.get("error") is not None or state.get("errors"):
                break
            if state.get("currentTime", 0) >= seconds:
                break
            time.sleep(0.5)
        state["wallSeconds"] = round(time.time() - started, 2)
        print(json.dumps(state))
        played = state.get("currentTime", 0) >= seconds
        clean = state.get("error") is None and not state.get("errors")
        return 0 if played and clean else 1
    finally:
        if session:
            try:
                call(base, "DELETE", "/session/%s" % session)
            except Exception:
                pass
        driver.terminate()
        try:
            driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            driver.kill()


if __name__ == "__main__":
    sys.exit(main())
