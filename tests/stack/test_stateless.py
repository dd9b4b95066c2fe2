"""The production shape (deploy/shape.py, what `make up` runs) on ports of its own: nginx in
front of two gunicorn web processes, a Celery worker per queue, beat and the sandbox
server, with DEBUG off, on the test database and a Redis of its own. Round-robin with no
stickiness sends each request of a person to the other process than the one before; each
flow completes all the same, and goes on when one process dies half-way."""

import signal
from collections import Counter
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import Account
from deploy.files import files_ensure, secret
from deploy.launch import PROGRAMS, Launcher, NotReady
from deploy.shape import Ports, Shape
from tests.e2e.conftest import personal_values
from tests.faults.conftest import needs, wait_until
from tests.fixtures_sandbox import free_port
from tests.pdfs import pdf_of_size
from tests.stack import walks


class Running:
    def __init__(self, shape: Shape, launcher: Launcher):
        self.shape, self.launcher = shape, launcher
        self.site = walks.Site(shape.origin, shape.sandbox,
                               verify=str(shape.state / "tls" / "cert.pem"))
        self.web = {f"127.0.0.1:{port}": f"web-{number}"
                    for number, port in enumerate(shape.ports.web, start=1)}

    def logs(self) -> str:
        return "\n".join(f"--- {process.name}\n{self.launcher.log(process.name)}"
                         for process in self.shape.processes())


@pytest.fixture
def stack(tmp_path, database_url, throwaway_redis, settings):
    needs(Path(PROGRAMS["nginx"][0]).exists(),
          "nginx (the Debian package; scripts/deps.sh --system installs it)")
    shape = Shape(ports=Ports(https=free_port(), http=free_port(),
                              web=(free_port(), free_port()), sandbox=free_port(),
                              worker_metrics=(free_port(), free_port())),
                  state=tmp_path / "shape", database_url=database_url,
                  redis_url=throwaway_redis.url)
    files_ensure(shape)
    settings.SECRET_KEY = secret(shape, "secret_key")  # the picture codes are worked out
    launcher = Launcher(shape)
    processes = shape.processes()
    try:
        launcher.run(processes[0], "dev_ca")
        for process in processes:
            launcher.start(process)
        for process in processes:
            launcher.wait_ready(process)
        yield Running(shape, launcher)
    except NotReady as error:
        pytest.fail(str(error))
    finally:
        launcher.stop(*(process.name for process in processes))


def alternates(running: Running, browser: walks.Browser) -> None:
    """Every answer came from a web process, never twice in a row from the same one."""
    served = [running.web.get(upstream, upstream or "?") for upstream in browser.answered]
    assert set(served) == set(running.web.values()), (served, browser.steps)
    repeated = [(step, name) for step, name, before in
                zip(browser.steps[1:], served[1:], served[:-1], strict=True) if name == before]
    assert not repeated, f"answered twice in a row by one process: {repeated}"


@pytest.mark.timeout(240)
def test_four_flows_each_served_by_both_web_processes_in_turn(
    stack, registrant, password_holder, sim_holder, counter_clerk, walk_in
):
    site = stack.site
    registered = walks.register_mobile(site, registrant)
    alternates(stack, registered)
    assert Account.objects.get(username=registrant["id_number"]).registration_method == "mobile"

    browser = site.browser()
    profile = walks.login_password_sms(site, password_holder["id_number"],
                                       password_holder["password"], password_holder["phone"],
                                       browser=browser)
    assert password_holder["full_name"] in profile.text
    alternates(stack, browser)

    browser = site.browser()
    profile = walks.login_sim(site, sim_holder["phone"], browser=browser)
    assert sim_holder["full_name"] in profile.text
    alternates(stack, browser)

    # A scan as big as a real one: nginx buffers it to a file (as another user when root).
    scan = ("CCCD-2-mat.pdf", pdf_of_size(200_000), "application/pdf")
    page = walks.counter_create(site, counter_clerk["id_number"], counter_clerk["password"],
                                counter_clerk["phone"], walk_in, scan)
    assert f"Đã tạo tài khoản cho công dân {walk_in['full_name']}." in page.text
    assert Account.objects.get(username=walk_in["id_number"]).registration_method == "counter"

    # Production settings: no development pages; each SMS went through its own queue.
    walks.expect(site, site.browser().get("/dev/sms/"), 404)
    assert "accounts.tasks.sms_deliver_task[" in stack.launcher.log("worker-messages", 10**6)
    assert "accounts.tasks.sms_deliver_task[" not in stack.launcher.log("worker-upkeep", 10**6)
    metrics_add_up(stack, site)
    logs_name_no_one(stack, [walk_in["id_number"], walk_in["full_name"], walk_in["phone"],
                             counter_clerk["id_number"], counter_clerk["full_name"]])


def logs_name_no_one(stack: Running, also: list[str]) -> None:
    """No line any of the portal's processes wrote (the proxy's access log included) holds
    a person's ID number, phone, name or birth date."""
    values = personal_values() | set(also)
    for process in stack.shape.processes():
        if process.name == "sandbox":  # an outside system, with its own logs
            continue
        log = stack.launcher.log(process.name, 10**7)
        assert log, f"{process.name} wrote nothing"
        found = sorted(value for value in values if value in log)
        assert not found, f"{process.name}'s log names {found}"


def metrics_add_up(stack: Running, site: walks.Site) -> None:
    """Each process's metrics, summed over its own several processes (gunicorn's and the
    pool's), count what the walks did."""
    web_urls = [f"http://127.0.0.1:{port}/metrics/" for port in stack.shape.ports.web]
    worker_url = f"http://127.0.0.1:{stack.shape.ports.worker_metrics[0]}/metrics"
    queued = ("portal_sms_total", (("event", "queued"),))
    sent = ("portal_sms_total", (("event", "sent"),))

    def settled() -> bool:  # the last SMS (the citizen's password) may be on its way
        received = len(requests.get(site.sandbox_url + "/sms/messages", timeout=5).json())
        return scrape(*web_urls)[queued] == scrape(worker_url)[sent] == received

    assert wait_until(settled, 15), (scrape(*web_urls)[queued], scrape(worker_url)[sent])
    web, worker = scrape(*web_urls), scrape(worker_url)
    assert web[("portal_logins_total", (("method", "password"), ("outcome", "ok")))] == 2
    assert web[("portal_logins_total", (("method", "sim"), ("outcome", "ok")))] == 1
    assert worker[sent] >= 4
    assert worker[("portal_sms_queue_to_gateway_seconds_count", ())] == worker[sent]
    assert worker[("portal_outbound_calls_total",
                   (("outcome", "ok"), ("system", "sms gateway")))] == worker[sent]


def scrape(*urls: str) -> Counter:
    """The samples of every URL, added up: (name, sorted labels) -> value."""
    found = Counter()
    for url in urls:
        text = requests.get(url, timeout=5).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                found[(sample.name, tuple(sorted(sample.labels.items())))] += sample.value
    return found


@pytest.mark.timeout(240)
def test_a_web_process_dies_half_way_through_a_registration(stack, registrant):
    """After the identity is posted (the SMS on its way), the process due to answer the
    next request is killed: nginx finds it gone and sends that request, and every later
    one, to the other; the code typed in and the password set finish the registration."""
    site, browser = stack.site, stack.site.browser()
    killed = []

    def kill_the_next_one(method: str, path: str) -> None:
        if (method, path) == ("GET", "/dang-ky/xac-thuc-otp/") and not killed:
            due = next(name for address, name in stack.web.items()
                       if address != browser.answered[-1])
            stack.launcher.stop(due, sig=signal.SIGKILL, wait=5)
            killed.append(due)

    browser.before = kill_the_next_one
    walks.register_mobile(site, registrant, browser=browser)
    assert killed, browser.steps
    after = browser.steps.index("GET /dang-ky/xac-thuc-otp/ 200")
    # nginx names every process it tried: the dead one, then the one that answered (it
    # tries the dead one again now and then: fail_timeout).
    tried = [[stack.web[address] for address in upstream.split(", ")]
             for upstream in browser.answered[after:]]
    survivor = (set(stack.web.values()) - set(killed)).pop()
    assert tried[0] == [*killed, survivor], (browser.steps, tried)
    assert all(names in ([survivor], [*killed, survivor]) for names in tried[1:]), tried
    account = Account.objects.get(username=registrant["id_number"])
    assert account.registration_method == "mobile" and account.has_usable_password()
