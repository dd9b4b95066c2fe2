"""The signing agent a citizen installs: its wheel, and the files that start it at login,
built from signing/agent (`manage.py build_agent`) and offered on the "Công cụ ký số" page
with their SHA-256.

The agent is a package of its own (agent/pyproject.toml) so that a citizen installs only
it, never the portal; its version is signing.agent.__version__, which its /status reports
and which the pages compare with SIGNING_AGENT_MIN_VERSION.
"""

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from signing.agent import __version__

ROOT = Path(__file__).resolve().parent.parent
# What a person downloads, besides the wheel: how their system starts the agent at login.
STARTERS = {
    "dvc-signing-agent.service": "agent/dvc-signing-agent.service",  # Linux (systemd --user)
    "vn.gov.dichvucong.signing-agent.plist": "agent/signing-agent.plist",  # macOS (launchd)
    "dvc-signing-agent-khoi-dong.cmd": "agent/startup.cmd",  # Windows (Startup folder)
}


def wheel_name() -> str:
    return f"dvc_signing_agent-{__version__}-py3-none-any.whl"


def agent_build(out_dir: Path, *, origin: str) -> list[Path]:
    """Build the wheel and the start-up files for the portal at `origin` into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / "agent" / name, project / name)
        shutil.copytree(ROOT / "signing" / "agent", project / "src" / "signing" / "agent",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--no-build-isolation", "--wheel-dir", str(out_dir), str(project)],
                       check=True, capture_output=True, text=True)
    made = [out_dir / wheel_name()]
    for name, template in STARTERS.items():
        text = render_to_string(template, {"origin": origin, "version": __version__})
        (out_dir / name).write_text(text, encoding="utf-8", newline="\r\n"
                                    if name.endswith(".cmd") else "\n")
        made.append(out_dir / name)
    return made


def agent_downloads() -> list[dict]:
    """The files on offer now (name, size, SHA-256), the wheel first; [] if not built."""
    folder = Path(settings.SIGNING_AGENT_DIST_DIR)
    names = [wheel_name(), *STARTERS]
    return [{"name": name, "size": (folder / name).stat().st_size,
             "sha256": _sha256(folder / name)} for name in names if (folder / name).is_file()]


def agent_file(name: str) -> Path | None:
    """The offered file of that exact name, if built; never any other path."""
    if name not in (wheel_name(), *STARTERS):
        return None
    path = Path(settings.SIGNING_AGENT_DIST_DIR) / name
    return path if path.is_file() else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
