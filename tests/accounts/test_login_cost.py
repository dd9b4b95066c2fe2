"""What a login costs the database, as the web process pays it in production: rate limits
counted in Redis, the SMS handed to the worker (the worker's statements are its own).
A change that adds a statement or a commit to either step fails here: a count, never a
timing. Lower the figures when a change saves one."""

import pytest

from accounts import tasks
from accounts.captcha_keys import captcha_answer, captcha_key_new
from accounts.sms.services import sms_deliver
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code
from tests.db_cost import db_cost

pytestmark = pytest.mark.django_db(transaction=True)
TUAN = {"username": "001084567801", "password": PASSWORD}
# The picture code's use (its key recorded), the code with its SMS, the session: three
# commits. Not two:
# the hash would then run inside a transaction, holding the rate counters' rows (when
# they are in the database) and a pooled connection for its whole time.
PASSWORD_STEP = (7, 3)  # captcha, account, factor, cooldown, SMS + code, session
CODE_STEP = (14, 4)


@pytest.fixture
def worker(monkeypatch):
    """The messages handed to the worker, delivered when the test says (not counted)."""
    handed = []
    monkeypatch.setattr(tasks.sms_deliver_task, "delay", handed.append)
    yield lambda: [sms_deliver(sms_id=sms_id) for sms_id in handed]


def _logged_in_once_before(client, sms_outbox, worker):
    """Tuấn has logged in before (his SMS factor is his default), then logged out."""
    response = client.post("/dang-nhap/", {**TUAN, **CAPTCHA})
    worker()
    client.post(response.url, {"code": last_code(sms_outbox, "+84912345017")})
    client.post("/dang-xuat/")


def test_the_password_step_and_the_code_step_cost_what_they_did(
        client, citizen, sms_outbox, rate_redis, worker):
    _logged_in_once_before(client, sms_outbox, worker)
    key = captcha_key_new()  # a picture's key as the login page gives it, rightly answered
    picture = {"captcha_0": key, "captcha_1": captcha_answer(key)}
    with db_cost() as password_step:
        response = client.post("/dang-nhap/", {**TUAN, **picture})
    assert response.url == "/dang-nhap/xac-thuc-otp/"
    worker()
    with db_cost() as code_step:
        response = client.post(response.url, {"code": last_code(sms_outbox, "+84912345017")})
    assert response.url == "/trang-ca-nhan/"
    assert (len(password_step.statements), password_step.commits) == PASSWORD_STEP, \
        str(password_step)
    assert (len(code_step.statements), code_step.commits) == CODE_STEP, str(code_step)
