"""The production shape, described once: which processes run, with which commands and
settings. `make up` (deploy/up.py) runs it on this machine, the stateless test
(tests/stack/) runs it on ports of its own, and docker-compose.yml must say the same
(tests/stack/test_compose_agrees.py).

    proxy            nginx: TLS, round-robin over the web processes, no stickiness
    web-1, web-2     gunicorn, portal.wsgi; they share nothing but PostgreSQL and Redis
    worker-messages  Celery, queue "messages": the SMS and emails a person waits for
    worker-upkeep    Celery, queue "upkeep": beat's purges and revocation-list refreshes
    beat             Celery beat: the schedule (portal/settings.py CELERY_BEAT_SCHEDULE)
    sandbox          the sandbox server, standing in for the outside systems over HTTP
"""

from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_MODULE = "portal.settings"
QUEUES = ("messages", "upkeep")
WEB_COUNT = 2
GUNICORN_WORKERS = "2"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"


def web_command(bind: str) -> list[str]:
    # No control socket: two on one machine would share $HOME/.gunicorn/gunicorn.ctl.
    return ["gunicorn", "portal.wsgi:application", "--bind", bind,
            "--workers", GUNICORN_WORKERS, "--timeout", "30", "--graceful-timeout", "10",
            "--no-control-socket"]


def worker_command(queue: str) -> list[str]:
    return ["celery", "-A", "portal", "worker", "-Q", queue, "-n", f"{queue}@%h",
            "-l", "info", "--without-gossip", "--without-mingle"]


def beat_command(schedule: str) -> list[str]:
    return ["celery", "-A", "portal", "beat", "-l", "info", "-s", schedule]


def sandbox_command(host: str, port: int) -> list[str]:
    return ["python", "manage.py", "run_sandbox", "--host", host, "--port", str(port)]


def proxy_command(prefix: str, conf: str) -> list[str]:
    return ["nginx", "-p", prefix, "-c", conf, "-g", "daemon off;"]


@dataclass(frozen=True)
class Ports:
    https: int
    http: int
    web: tuple[int, ...]
    sandbox: int
    worker_metrics: tuple[int, ...]  # one per queue: each worker serves its metrics


@dataclass(frozen=True)
class Process:
    name: str
    command: list[str]
    env: dict = field(default_factory=dict)  # on top of the shape's environment
    ready: str = ""  # a URL that answers 200, or "log:<text>" once started


@dataclass(frozen=True)
class Shape:
    """One running copy: its ports, its state directory (secrets, TLS, logs, pids), its
    database and Redis."""

    ports: Ports
    state: Path
    database_url: str
    redis_url: str
    host: str = "localhost"
    show_upstream: bool = True  # X-Upstream names the web process that answered

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.ports.https}"

    @property
    def sandbox(self) -> str:
        return f"http://127.0.0.1:{self.ports.sandbox}"

    def environment(self) -> dict:
        """Production settings: DEBUG off, secrets from files, the HTTP adapters pointed
        at the sandbox server, TLS ended by the proxy."""
        sandbox, secrets, ca = self.sandbox, self.state / "secrets", ROOT / "var" / "dev-ca"
        return {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "DEBUG": "0",
            "SECRET_KEY_FILE": str(secrets / "secret_key"),
            "SCAN_ENCRYPTION_KEY_FILE": str(secrets / "scan_key"),
            "OIDC_RSA_PRIVATE_KEY_FILE": str(secrets / "oidc_key.pem"),
            "SCAN_STORAGE_ROOT": str(self.state / "scans"),
            "ALLOWED_HOSTS": f"{self.host},127.0.0.1", "PORTAL_ORIGIN": self.origin,
            "WEBAUTHN_RP_ID": self.host, "BEHIND_TLS_PROXY": "1", "TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
            "SANDBOX_BACKENDS_ALLOWED": "1",  # sample data: VNeID's sandbox over http
            "SMS_BACKEND": "accounts.sms.backends.http.HttpGatewayBackend",
            "SMS_GATEWAY_URL": f"{sandbox}/sms/send",
            "CARRIER_REGISTRY": "accounts.registries.http.HttpCarrierRegistry",
            "CARRIER_REGISTRY_URL": f"{sandbox}/carrier/check",
            "BHXH_REGISTRY": "accounts.registries.http.HttpBhxhRegistry",
            "BHXH_REGISTRY_URL": f"{sandbox}/bhxh/lookup",
            "VNPOST_REGISTRY": "accounts.registries.http.HttpVnpostRegistry",
            "VNPOST_REGISTRY_URL": f"{sandbox}/vnpost/lookup",
            "POPULATION_REGISTRY": "accounts.registries.http.HttpPopulationRegistry",
            "POPULATION_REGISTRY_URL": f"{sandbox}/population/numbers",
            "SIM_SIGNATURE_SERVICE": "signing.sim.http.HttpSimSignatureService",
            "SIM_SIGNATURE_URL": f"{sandbox}/sim",
            "VNEID_ISSUER": f"{sandbox}/vneid",
            "VNEID_CLIENT_ID": "dichvucong", "VNEID_CLIENT_SECRET": "sandbox",
            # The development CA (manage.py dev_ca), with which the sandbox's SIMs sign.
            "SIGNING_TRUST_ROOTS": str(ca / "root.pem"),
            "SIGNING_GOVERNMENT_ROOTS": str(ca / "gov-root.pem"),
            "SIGNING_INTERMEDIATES": f"{ca / 'intermediate.pem'},{ca / 'gov-intermediate.pem'}",
            "SIGNING_CRLS": f"{ca / 'crl.pem'},{ca / 'gov-crl.pem'}",
        }

    def processes(self) -> list[Process]:
        run = self.state / "run"
        webs = [Process(f"web-{number}", web_command(f"127.0.0.1:{port}"),
                        env=self._metrics(f"web-{number}"),
                        ready=f"http://127.0.0.1:{port}/health/")
                for number, port in enumerate(self.ports.web, start=1)]
        workers = [Process(f"worker-{queue}", worker_command(queue), ready="log:ready.",
                           env={**self._metrics(f"worker-{queue}"),
                                "WORKER_METRICS_BIND": f"127.0.0.1:{port}"})
                   for queue, port in zip(QUEUES, self.ports.worker_metrics, strict=True)]
        return [
            # The sandbox is an outside system: it runs on its own development settings.
            Process("sandbox", sandbox_command("127.0.0.1", self.ports.sandbox),
                    env={"DEBUG": "1", "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE},
                    ready=f"{self.sandbox}/health"),
            *webs, *workers,
            Process("beat", beat_command(str(run / "celerybeat-schedule")),
                    ready="log:beat: Starting..."),
            Process("proxy", proxy_command(str(run), str(run / "nginx.conf")),
                    ready=f"{self.origin}/health/"),
        ]

    def _metrics(self, name: str) -> dict:
        """Where the process's several processes write their counts (portal/metrics.py);
        emptied before it starts (deploy/launch.py)."""
        return {"PROMETHEUS_MULTIPROC_DIR": str(self.state / "metrics" / name)}

    def nginx_conf(self) -> str:
        """deploy/nginx.conf.template with this copy's values (docker-compose.yml fills the
        same template through the nginx image's envsubst)."""
        run = self.state / "run"
        values = {
            "UPSTREAM_1": f"127.0.0.1:{self.ports.web[0]}",
            "UPSTREAM_2": f"127.0.0.1:{self.ports.web[1]}",
            "HTTPS_LISTEN": f"127.0.0.1:{self.ports.https}",
            "HTTP_LISTEN": f"127.0.0.1:{self.ports.http}",
            "PORTAL_ORIGIN": self.origin, "TLS_DIR": str(self.state / "tls"),
            "RUN_DIR": str(run), "ACCESS_LOG": "/dev/stdout",
            "UPSTREAM_HEADER": "$upstream_addr" if self.show_upstream else "",
        }
        return Template(NGINX_TEMPLATE.read_text()).safe_substitute(values)
