"""The JupyterLab settings the course ships: lab-settings/overrides.json and its installer.

JupyterLab asks every new user "Would you like to get notified about official Jupyter news?"
unless the setting `fetchNews` of `@jupyterlab/apputils-extension:notification` is decided.
The course decides it ("false") in an overrides file that `postBuild` copies into JupyterLab's
application settings folder, on Binder and in `make lab`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import jupyterlab
from jupyterlab_server.settings_utils import get_settings

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "lab-settings" / "overrides.json"
PLUGIN = "@jupyterlab/apputils-extension:notification"
SCHEMAS = Path(jupyterlab.__file__).parent / "schemas"


def test_overrides_file_is_json_that_turns_the_news_off():
    overrides = json.loads(OVERRIDES.read_text())
    assert overrides == {PLUGIN: {"fetchNews": "false", "checkForUpdates": False}}


def test_overrides_match_the_installed_jupyterlab_schema():
    # A renamed plugin or setting in a future JupyterLab would make the override a silent no-op.
    schema = json.loads(
        (SCHEMAS / "@jupyterlab" / "apputils-extension" / "notification.json").read_text()
    )
    allowed_news = {option["const"] for option in schema["properties"]["fetchNews"]["oneOf"]}
    assert "false" in allowed_news
    assert schema["properties"]["checkForUpdates"]["type"] == "boolean"


def test_make_lab_and_binder_run_post_build():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable for repo2docker"
    assert "lab-settings/overrides.json" in post_build.read_text()
    makefile = (ROOT / "Makefile").read_text()
    lab_recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "./postBuild" in lab_recipe
    # repo2docker ignores the root's requirements.txt and postBuild if a binder/ folder exists
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_post_build_installs_overrides_that_jupyterlab_reads(tmp_path):
    app_dir, user_settings = tmp_path / "lab_app", tmp_path / "user_settings"
    user_settings.mkdir()
    env = {
        **os.environ,
        "JUPYTERLAB_DIR": str(app_dir),  # where `jupyter lab path` says the application lives
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    result = subprocess.run(
        [str(ROOT / "postBuild")], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    installed = app_dir / "settings" / "overrides.json"
    assert installed.read_bytes() == OVERRIDES.read_bytes()

    settings, _ = get_settings(
        app_settings_dir=str(app_dir / "settings"),
        schemas_dir=str(SCHEMAS),
        settings_dir=str(user_settings),
        schema_name=PLUGIN,
    )
    defaults = {name: spec["default"] for name, spec in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False
