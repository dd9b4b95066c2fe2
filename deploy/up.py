"""`make up`: the production shape on this machine (deploy/shape.py), in the background;
`make down` stops it.

    python -m deploy.up            start (or say it is already running)
    python -m deploy.up --down     stop

Its state stays in var/up/ (secrets made once, the TLS certificate, logs, pids); its data
in PostgreSQL (UP_DATABASE_URL, default the database portal_up on 127.0.0.1) and Redis
(UP_REDIS_URL, default database 1 on 127.0.0.1).
"""

import argparse
import os
import sys
from urllib.parse import urlsplit

import psycopg

from deploy.files import files_ensure
from deploy.launch import Launcher, NotReady
from deploy.shape import ROOT, Ports, Shape

SHAPE = Shape(
    ports=Ports(https=8443, http=8080, web=(8001, 8002), sandbox=8100,
                worker_metrics=(9101, 9102)),
    state=ROOT / "var" / "up",
    database_url=os.environ.get("UP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_up"),
    redis_url=os.environ.get("UP_REDIS_URL", "redis://127.0.0.1:6379/1"),
)
PREPARE = (("migrate", "--no-input"), ("collectstatic", "--no-input", "--verbosity", "0"),
           ("load_sample_accounts",), ("build_agent",))


def database_ensure(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def up(launcher: Launcher) -> None:
    processes = SHAPE.processes()
    running = [process.name for process in processes if launcher.alive(process.name)]
    if running:
        sys.exit(f"Already running ({', '.join(running)}): `make down` first.")
    files_ensure(SHAPE)
    try:
        database_ensure(SHAPE.database_url)
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL does not answer ({SHAPE.database_url}): {error}")
    sandbox, web = processes[0], processes[1]
    try:
        launcher.run(sandbox, "dev_ca")  # the CA the sandbox's SIMs sign with
        for command in PREPARE:
            launcher.run(web, *command)
        for process in processes:
            launcher.start(process)
            launcher.wait_ready(process)
    except NotReady as error:
        down(launcher)
        sys.exit(str(error))
    print(f"Portal: {SHAPE.origin}  (self-signed certificate: {SHAPE.state}/tls/cert.pem)")
    print(f"SMS received by the gateway stand-in: {SHAPE.sandbox}/sms/messages")
    print(f"Logs: {SHAPE.state}/log/   Stop: make down")


def down(launcher: Launcher) -> None:
    launcher.stop(*(process.name for process in SHAPE.processes()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down", action="store_true", help="stop what `make up` started")
    args = parser.parse_args()
    launcher = Launcher(SHAPE)
    down(launcher) if args.down else up(launcher)


if __name__ == "__main__":
    main()
