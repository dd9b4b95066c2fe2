"""Starting and stopping a shape's processes: each in a session of its own (so its whole
group stops together), its output in state/log/<name>.log (begun anew at each start), its
pid and start time in state/run/<name>.pid (so `make down` finds it from another shell,
and never takes another process that was given the same number after a reboot)."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from deploy.shape import ROOT, Process, Shape

START_WITHIN_SECONDS = 60
PROGRAMS = {"python": [sys.executable], "gunicorn": [sys.executable, "-m", "gunicorn"],
            "celery": [sys.executable, "-m", "celery"], "nginx": ["/usr/sbin/nginx"]}
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


class NotReady(Exception):
    """A process exited or did not become ready; the message ends with its log."""


class Launcher:
    def __init__(self, shape: Shape):
        self.shape = shape
        self.logs = shape.state / "log"
        self.pids = shape.state / "run"

    def environment(self, process: Process) -> dict:
        """Only what the shape sets: nothing of this shell's settings leaks in."""
        env = {name: os.environ[name] for name in KEPT if name in os.environ}
        env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **self.shape.environment())
        env.update(process.env)
        return env

    def run(self, process: Process, *command: str) -> None:
        """A one-off command (migrate, collectstatic…) in `process`'s environment, without
        its metrics (nothing would serve them)."""
        env = self.environment(process)
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        done = subprocess.run([*PROGRAMS["python"], "manage.py", *command], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise NotReady(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")

    def start(self, process: Process) -> None:
        program, *arguments = process.command
        counts = process.env.get("PROMETHEUS_MULTIPROC_DIR")
        if counts:  # a previous run's counts would be added to this one's
            shutil.rmtree(counts, ignore_errors=True)
            Path(counts).mkdir(parents=True)
        with open(self.logs / f"{process.name}.log", "wb") as log:
            started = subprocess.Popen([*PROGRAMS[program], *arguments], cwd=ROOT,
                                       env=self.environment(process), stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        (self.pids / f"{process.name}.pid").write_text(
            f"{started.pid} {_started_at(started.pid)}")

    def wait_ready(self, process: Process) -> None:
        deadline = time.monotonic() + START_WITHIN_SECONDS
        while time.monotonic() < deadline:
            if not self.alive(process.name):
                raise NotReady(f"{process.name} exited:\n{self.log(process.name)}")
            if self._ready(process):
                return
            time.sleep(0.2)
        raise NotReady(f"{process.name} not ready in {START_WITHIN_SECONDS} s:\n"
                       + self.log(process.name))

    def _ready(self, process: Process) -> bool:
        if process.ready.startswith("log:"):
            return process.ready[4:] in self.log(process.name, tail=100_000)
        with contextlib.suppress(requests.RequestException):
            return requests.get(process.ready, timeout=5, allow_redirects=False,
                                verify=str(self.shape.state / "tls" / "cert.pem"),
                                ).status_code == 200
        return False

    def pid(self, name: str) -> int | None:
        """The process started as `name`, if that very process still exists."""
        path = self.pids / f"{name}.pid"
        if not path.exists():
            return None
        pid, _, started = path.read_text().partition(" ")
        return int(pid) if _started_at(int(pid)) == started.strip() else None

    def alive(self, name: str) -> bool:
        pid = self.pid(name)
        if pid is None:
            return False
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it is our child and has exited
        try:
            os.killpg(pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def stop(self, *names: str, sig: int = signal.SIGTERM, wait: float = 15.0) -> None:
        """The processes' whole groups at once: TERM (or `sig`), then KILL if they linger."""
        pids = {name: self.pid(name) for name in names if self.pid(name) is not None}
        for pid in pids.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while any(self.alive(name) for name in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in pids.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        for name in names:  # stale ones too (after a reboot)
            (self.pids / f"{name}.pid").unlink(missing_ok=True)

    def log(self, name: str, tail: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-tail:] if path.exists() else ""


def _started_at(pid: int) -> str:
    """When the process began, in clock ticks since boot ("" when there is none)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]
