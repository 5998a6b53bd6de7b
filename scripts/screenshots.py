"""`make screenshots`: a manager's and the head's pages at 1280x800 and 375x800 (a phone), in Russian; at 1280 in
English too.

Builds a fresh demo department in its own SQLite file, starts the app on a free port, drives Debian's chromium
through Playwright and writes PNG files into screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
DB = ROOT / "screenshots.sqlite3"
PASSWORD = "demo12345"  # noqa: S105 - the published demo password (bench/generator.py DEMO_PASSWORD)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (file stem, login, path)
MONTH = time.strftime("%Y-%m")
SHOTS = [
    ("my-day", "manager01", "/"),
    ("board", "manager01", "/pipeline/"),
    ("clients", "manager01", "/clients/"),
    ("client-new", "manager01", "/clients/new/"),
    ("deal-new", "manager01", "/deals/new/"),
    ("search", "manager01", "/search/?q=%D0%BE%D0%BE%D0%BE"),
    ("review", "head", "/pipeline/review/"),
    ("plans", "head", f"/plans/?month={MONTH}"),
    ("pay", "manager01", "/pay/"),
    ("reassignments", "head", "/reassignments/"),
    ("long-list", "manager01", "/long-list/"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The app did not start at {url}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "salesdept.settings.local",
        "DATABASE_URL": f"sqlite:///{DB}",
        "DJANGO_DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    manage("migrate", "--noinput", "-v", "0", env=env)
    # seed_demo runs the nightly jobs of the 1st (plan drafts, long lists) and of today (the 3-month rule) too.
    manage("seed_demo", "--clients", "1500", "--deals", "900", env=env)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/login/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for language, width in (("ru", 1280), ("ru", 375), ("en", 1280)):
                for stem, username, path in SHOTS:
                    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ru-RU")
                    page = context.new_page()
                    page.goto(f"{base}/login/")
                    page.fill("input[name=username]", username)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_load_state("networkidle")
                    if language != "ru":
                        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
                        page.request.post(
                            f"{base}/i18n/setlang/",
                            form={"language": language, "next": "/"},
                            headers={"X-CSRFToken": token},
                        )
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(800)  # charts finish their animation
                    target = OUT / f"{stem}-{language}-{width}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(ROOT))
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
