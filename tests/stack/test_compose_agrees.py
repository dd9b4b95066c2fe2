"""docker-compose.yml describes the processes deploy/shape.py runs (`make up`, the stateless
test): the same services, commands, settings module, queues, settings and proxy template.
Only where things are differs (addresses, ports, paths, host names)."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

from deploy.shape import NGINX_TEMPLATE, QUEUES, ROOT, SETTINGS_MODULE, WEB_COUNT, Ports, Shape

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
BESIDES = {"postgres", "redis", "migrate"}  # data, and the one-off before the web starts
SHAPE = Shape(ports=Ports(https=8443, http=8080, web=(8001, 8002), sandbox=8100,
                          worker_metrics=(9101, 9102)),
              state=Path("/state"), database_url="postgres://db/portal",
              redis_url="redis://cache/0")
PROCESSES = {process.name: process for process in SHAPE.processes()}
PLACED = {"--bind", "--host", "--port", "-s"}  # the next word says where: differs
HOSTS = {"ALLOWED_HOSTS", "PORTAL_ORIGIN", "WEBAUTHN_RP_ID"}


def command(service: str) -> list[str]:
    written = SERVICES[service].get("command", [])
    return shlex.split(written) if isinstance(written, str) else list(written)


def unplaced(words: list[str]) -> list[str]:
    return [("*" if before in PLACED else word) for before, word in zip(["", *words], words,
                                                                        strict=False)]


def placed(value: str) -> bool:
    """An address, a URL or a path: where, not what."""
    return (value.startswith(("/", "http://", "https://", "postgres://", "redis://"))
            or re.fullmatch(r"[\w.]+:\d+", value) is not None)


def test_the_same_services():
    assert set(SERVICES) - BESIDES == set(PROCESSES)
    assert len([name for name in PROCESSES if name.startswith("web-")]) == WEB_COUNT


@pytest.mark.parametrize("name", sorted(set(PROCESSES) - {"proxy"}))
def test_the_same_command(name):
    assert unplaced(command(name)) == unplaced(PROCESSES[name].command)


def test_a_worker_for_each_queue():
    queues = [command(name)[command(name).index("-Q") + 1] for name in SERVICES
              if "-Q" in command(name)]
    assert sorted(queues) == sorted(QUEUES)


@pytest.mark.parametrize("name", sorted(set(PROCESSES) - {"proxy"}))
def test_the_same_settings(name):
    written = {key: str(value) for key, value in SERVICES[name]["environment"].items()}
    shape = SHAPE.environment() if name != "sandbox" else {}
    expected = {**shape, **PROCESSES[name].env}
    assert written["DJANGO_SETTINGS_MODULE"] == SETTINGS_MODULE
    assert set(written) - {"SECRET_KEY_FILE"} <= set(expected) | {"SECRET_KEY_FILE"}
    assert set(expected) <= set(written), sorted(set(expected) - set(written))
    differ = {key for key, value in expected.items()
              if written[key] != value and not (placed(value) or key in HOSTS)}
    assert not differ, {key: (written[key], expected[key]) for key in differ}


def test_the_same_proxy():
    names = set(re.findall(r"\$\{([A-Z0-9_]+)\}", NGINX_TEMPLATE.read_text()))
    proxy = SERVICES["proxy"]
    assert names == set(proxy["environment"]) - {"NGINX_ENVSUBST_OUTPUT_DIR"}
    assert "${" not in SHAPE.nginx_conf()
    mounted = [volume.split(":") for volume in proxy["volumes"]]
    assert ["./" + str(NGINX_TEMPLATE.relative_to(ROOT)),
            "/etc/nginx/templates/nginx.conf.template", "ro"] in mounted
    upstreams = sorted(value for key, value in proxy["environment"].items()
                       if key.startswith("UPSTREAM_") and key[9:].isdigit())
    assert upstreams == [f"web-{number}:8000" for number in range(1, WEB_COUNT + 1)]
