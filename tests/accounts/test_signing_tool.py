"""The "Tải công cụ ký điện tử" page: the built agent and its start-up files, each with the
SHA-256 a person checks after downloading; nothing else under that address."""

import hashlib

import pytest

from accounts.agent_dist import STARTERS, agent_build, wheel_name

PAGE = "/ho-tro/cong-cu-ky-so/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agent-dist")
    agent_build(folder, origin="http://testserver")
    return folder


def test_it_offers_each_file_with_the_checksum_of_what_it_serves(client, settings, built):
    settings.SIGNING_AGENT_DIST_DIR = built
    page = client.get(PAGE).content.decode()
    for name in (wheel_name(), *STARTERS):
        served = b"".join(client.get(f"{PAGE}tai-ve/{name}").streaming_content)
        assert served == (built / name).read_bytes()
        assert f'href="{PAGE}tai-ve/{name}"' in page
        assert hashlib.sha256(served).hexdigest() in page
    assert f"pip install --user {wheel_name()}" in page


@pytest.mark.parametrize("name", ["../../pyproject.toml", "manage.py", "x.whl", "%2e%2e"])
def test_it_serves_nothing_else(client, settings, built, name):
    settings.SIGNING_AGENT_DIST_DIR = built
    assert client.get(f"{PAGE}tai-ve/{name}").status_code == 404


def test_it_says_when_nothing_is_built(client, settings, tmp_path):
    settings.SIGNING_AGENT_DIST_DIR = tmp_path
    page = client.get(PAGE).content.decode()
    assert "Bản cài đặt công cụ chưa sẵn sàng trên máy chủ này" in page
    assert client.get(f"{PAGE}tai-ve/{wheel_name()}").status_code == 404
