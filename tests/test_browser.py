"""The learner's path in a real browser: JupyterLab, Chromium, run all cells, widgets react.

Starts JupyterLab on a free local port with a token (fast and offline mode), opens lesson 0
and a lesson with widgets in Debian's Chromium driven by Playwright, runs every cell through
the Run menu, and checks that no cell shows an error, that images render, and that a slider
widget changes its picture when moved. A third test creates a two-cell notebook with the
lesson 5 playground, presses Play and checks that the step counter grows and the picture is
redrawn. Screenshots go to ``test-artifacts/``.

Skipped, with the reason, only where Chromium is not installed and ``CI`` is not set; in CI a
missing browser is a failure (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
WIDGET_LESSON = "notebooks/02_the_generator.ipynb"
RUN_TIMEOUT_S = 300


def _chromium() -> str | None:
    found = [path for path in CHROMIUM_CANDIDATES if Path(path).exists()]
    return found[0] if found else shutil.which("chromium")


CHROMIUM = _chromium()
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but Chromium is missing: .ci/run must install it")
    pytestmark = pytest.mark.skip(
        reason="Chromium not found (install Debian's `chromium` to run the browser test)"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    # Serve a copy of the notebooks, so that JupyterLab's autosave can never write outputs
    # into the repository's (stripped) notebooks.
    served = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "notebooks", served / "notebooks")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "GAN_FAST": "1", "GAN_OFFLINE": "1"}
    runtime = tmp_path_factory.mktemp("jupyter_runtime")
    env["JUPYTER_RUNTIME_DIR"] = str(runtime)
    # Fresh settings and workspaces: nothing from a developer's own JupyterLab leaks in.
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path_factory.mktemp("lab_settings"))
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path_factory.mktemp("lab_workspaces"))
    log = (tmp_path_factory.mktemp("jupyter_log") / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={served}",
            "--ServerApp.open_browser=False",
            "--allow-root",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"JupyterLab did not start; see {log.name}") from None
            time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _open_and_run_all(browser, base: str, token: str, notebook: str):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{notebook}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # If JupyterLab asks which kernel to use, take the notebook's own (Python 3).
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    try:
        accept.wait_for(timeout=5_000)
        accept.click()
    except PlaywrightTimeout:
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("li[data-command='runmenu:run-all']").click()
    # Done when every visible prompt shows an execution count ("[7]:"), none "[ ]:" or "[*]:",
    # for three polls in a row. (Cells whose source is collapsed, like the worked solutions,
    # show no prompt text.) textContent, not innerText: off-screen cells are not rendered.
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    settled = 0
    while time.monotonic() < deadline:
        texts = [t.strip() for t in prompts.evaluate_all("els => els.map(e => e.textContent)")]
        shown = [t for t in texts if t]
        done = shown and all(any(ch.isdigit() for ch in t) for t in shown)
        settled = settled + 1 if done else 0
        if settled >= 3:
            break
        time.sleep(1)
    else:
        _screenshot(page, Path(notebook).stem + "_timeout")
        pytest.fail(f"{notebook}: cells still not run after {RUN_TIMEOUT_S} s")
    return page


def _check_no_errors(page, notebook: str) -> None:
    errors = page.locator(".jp-OutputArea-output", has_text="Traceback (most recent call last)")
    assert errors.count() == 0, f"{notebook}: a cell shows an error:\n{errors.first.inner_text()}"


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_lesson_0_runs_in_jupyterlab(jupyter_lab, browser):
    base, token = jupyter_lab
    page = _open_and_run_all(browser, base, token, "notebooks/00_start_here.ipynb")
    try:
        _check_no_errors(page, "00_start_here")
        images = page.locator(".jp-RenderedImage img")
        assert images.count() >= 3, "lesson 0 should show its figures"
        assert images.first.evaluate("img => img.naturalWidth") > 100
        _screenshot(page, "lesson00_after_run_all")
    finally:
        page.close()


def _cell_images(cell) -> list[str]:
    return cell.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")


def test_widget_lesson_runs_and_its_slider_reacts(jupyter_lab, browser):
    base, token = jupyter_lab
    page = _open_and_run_all(browser, base, token, WIDGET_LESSON)
    try:
        _check_no_errors(page, WIDGET_LESSON)
        slider = page.locator(".widget-slider").first
        slider.wait_for(timeout=30_000)
        cell = page.locator(".jp-Cell", has=slider).first
        cell.scroll_into_view_if_needed()
        before = _cell_images(cell)
        assert before, "the widget cell should render a picture before any interaction"
        _screenshot(page, "widget_before")
        slider.locator(".noUi-handle").first.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        deadline = time.monotonic() + 30
        while _cell_images(cell) == before and time.monotonic() < deadline:
            time.sleep(0.5)
        after = _cell_images(cell)
        _screenshot(page, "widget_after")
        assert after and after != before, "moving the slider should redraw the widget's picture"
    finally:
        page.close()


def _put_notebook(base: str, token: str, path: str, sources: list[str]) -> None:
    """Create a notebook on the server through JupyterLab's contents API."""
    import json

    cells = [
        {"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
        for s in sources
    ]
    content = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    body = json.dumps({"type": "notebook", "format": "json", "content": content}).encode()
    request = urllib.request.Request(
        f"{base}/api/contents/{path}?token={token}", data=body, method="PUT"
    )
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30):
        pass


def _playground_step(page) -> int:
    import re

    text = page.locator(".widget-html", has_text="modes covered").first.inner_text()
    return int(re.search(r"step ([\d,]+)", text).group(1).replace(",", ""))


def test_playground_play_makes_the_step_counter_grow(jupyter_lab, browser):
    base, token = jupyter_lab
    notebook = "notebooks/playground_check.ipynb"
    _put_notebook(
        base,
        token,
        notebook,
        [
            "from gan_helpers.widgets import Playground",
            "playground = Playground(hidden=16, n_layers=2, steps_per_frame=5)\nplayground",
        ],
    )
    page = _open_and_run_all(browser, base, token, notebook)
    try:
        _check_no_errors(page, notebook)
        play = page.locator(".widget-button", has_text="Play").first
        play.wait_for(timeout=60_000)
        assert _playground_step(page) == 0
        picture = page.locator(".widget-image").first
        before = picture.get_attribute("src")
        play.click()
        deadline = time.monotonic() + 60
        while _playground_step(page) < 50 and time.monotonic() < deadline:
            time.sleep(0.5)
        _screenshot(page, "playground_playing")
        page.locator(".widget-button", has_text="Pause").first.click()
        steps = _playground_step(page)
        assert steps >= 50, f"Play should keep training: step counter at {steps} after 60 s"
        assert picture.get_attribute("src") != before, "Play should redraw the picture"
    finally:
        page.close()
