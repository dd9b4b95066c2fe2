"""The signing agent as a citizen installs it: the wheel `manage.py build_agent` makes,
installed apart from the portal, runs as `dvc-signing-agent` and reports its version; the
files that start it at login name this portal's origin."""

import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest
import requests

from accounts.agent_dist import STARTERS, agent_build, wheel_name
from signing.agent import __version__
from tests.fixtures_sandbox import free_port

ORIGIN = "https://dichvucong.example.vn"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agent-dist")
    agent_build(folder, origin=ORIGIN)
    return folder


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory):
    """The wheel installed into a prefix of its own, as `pip install --user` would."""
    prefix = tmp_path_factory.mktemp("agent-install")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--prefix", str(prefix), str(built / wheel_name())], check=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(prefix)}))
    return prefix, site


def run_installed(installed, *args, **kwargs):
    """The installed copy only: the portal's own `signing` package is out of reach (-S
    skips the checkout's editable install, and the commands run outside the checkout; the
    dependencies come from this interpreter)."""
    prefix, site = installed
    deps = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{deps}"}
    return [sys.executable, "-S", "-m", "signing.agent", *args], env


def status_of(url: str, process: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return requests.get(url + "/status", timeout=1).json()
        except requests.RequestException:
            time.sleep(0.1)
    pytest.fail("the installed agent did not answer")


def test_the_wheel_holds_the_agent_and_its_command_only(built):
    with zipfile.ZipFile(built / wheel_name()) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read(f"dvc_signing_agent-{__version__}.dist-info/entry_points.txt")
    code = {name for name in names if not name.startswith("dvc_signing_agent-")}
    assert code == {"signing/agent/__init__.py", "signing/agent/__main__.py",
                    "signing/agent/server.py", "signing/agent/token.py"}
    assert b"dvc-signing-agent = signing.agent.__main__:main" in entry_points


def test_the_installed_agent_runs_from_its_own_files_and_reports_its_version(installed):
    prefix, site = installed
    assert (prefix / "bin" / "dvc-signing-agent").is_file(), "the console script"
    command, env = run_installed(installed, "--version")
    where = subprocess.run([sys.executable, "-S", "-c",
                            "import signing.agent; print(signing.agent.__file__)"],
                           env=env, capture_output=True, text=True, check=True, cwd=prefix).stdout
    assert where.startswith(str(site))
    version = subprocess.run(command, env=env, capture_output=True, text=True, check=True,
                             cwd=prefix)
    assert version.stdout.strip() == f"dvc-signing-agent {__version__}"

    port = free_port()
    command, env = run_installed(installed, "--port", str(port), "--origin", ORIGIN)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=prefix)
    try:
        assert status_of(f"http://127.0.0.1:{port}", process)["agent_version"] == __version__
    finally:
        process.terminate()
        process.wait(5)


def test_the_start_up_files_name_this_portal(built):
    for name in STARTERS:
        text = (built / name).read_text(encoding="utf-8")
        assert ORIGIN in text and __version__ in text, name
    service = (built / "dvc-signing-agent.service").read_text(encoding="utf-8")
    assert "ExecStart=%h/.local/bin/dvc-signing-agent" in service
    assert "WantedBy=default.target" in service
    assert (built / "dvc-signing-agent-khoi-dong.cmd").read_bytes().count(b"\r\n") > 3
