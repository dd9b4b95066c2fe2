"""The bench's peer (bench/peer/, django-allauth's stock login): its virtual environment,
its database and its gunicorn, started and stopped by the bench beside the portal's stack
with the same process handling (bench.stack.Processes)."""

import secrets
import sys
from pathlib import Path

from bench.stack import ROOT, Processes, database_recreate, environment_clean, free_port

VENV = ROOT / "var" / "bench" / "peer-venv"
REQUIREMENTS = ROOT / "bench" / "peer" / "requirements.txt"
DATABASE = "bench_allauth"


class PeerStack(Processes):
    """gunicorn serving bench.peer.wsgi from the peer's own Python, on a port of its own."""

    def __init__(self, log_dir: Path, database_url: str, *, web_workers: int, cache_url: str):
        super().__init__(log_dir)
        self.web_workers = web_workers
        self.port = free_port()
        self.web = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url.rsplit("/", 1)[0] + "/" + DATABASE
        self.python = str(VENV / "bin" / "python")
        self.env = {**environment_clean(), "PYTHONPATH": str(ROOT),
                    "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "DATABASE_URL": self.database_url, "CACHE_URL": cache_url}

    def install(self) -> None:
        """Make the peer's environment if missing, and bring it to the pinned versions
        whenever bench/peer/requirements.txt changes. `-I`: the repository on PYTHONPATH
        has no say in what pip installs."""
        installed = VENV / "requirements.txt"
        wanted = REQUIREMENTS.read_text()
        if installed.exists() and installed.read_text() == wanted:
            return
        if not Path(self.python).exists():
            self.run(sys.executable, "-I", "-m", "venv", str(VENV))
        self.run(self.python, "-I", "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS))
        installed.write_text(wanted)

    def prepare(self, accounts: int) -> None:
        """Its database dropped and made anew, migrated, `accounts` people written."""
        database_recreate(self.database_url)
        self.run(self.python, "-m", "django", "migrate", "--no-input")
        self.run(self.python, "-m", "bench.peer.seed", "--count", str(accounts))

    def start(self) -> None:
        # A control socket of its own: gunicorn's default path is one per user, which the
        # portal's gunicorn holds.
        self._start("peer", [self.python, "-m", "gunicorn", "bench.peer.wsgi:application",
                             "--bind", f"127.0.0.1:{self.port}",
                             "--workers", str(self.web_workers), "--timeout", "60",
                             "--control-socket", str(self.log_dir / "peer-gunicorn.ctl")])
        self._wait(self.web + "/accounts/login/", "peer")
