"""Log lines carry the correlation id of their request and never personal data: a person
registers and logs in, mistakes included, and no line written meanwhile names them."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.correlation import HEADER, CorrelationMiddleware
from portal.logs import Context, JsonFormatter, PlainFormatter
from tests.accounts.conftest import AN, CAPTCHA, PASSWORD, last_code


def test_a_line_carries_its_request_id_and_no_long_number():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Context())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.portal.logs")
    logger.addHandler(handler)

    def view(request):
        logger.warning("carrier check for %s failed", "+84912345001")
        return HttpResponse("ok")

    try:
        response = CorrelationMiddleware(view)(RequestFactory().get("/"))
        logger.warning("outside any request, CCCD 001090012345")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["correlation_id"] == response[HEADER] and outside["correlation_id"] == "-"
    assert inside["message"] == "carrier check for +[hidden] failed"
    assert outside["message"] == "outside any request, CCCD [hidden]"
    assert (inside["level"], inside["logger"]) == ("WARNING", "tests.portal.logs")


def test_a_number_inside_an_id_stays_whole():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s", None, None)
    record.args = ("task 1e0c9a2f-277e-4564-aff0-123456789012 for request "
                   "c0ffee123456789012abcdef, phone 0912345001",)
    Context().filter(record)
    assert PlainFormatter().format(record).endswith(
        "task 1e0c9a2f-277e-4564-aff0-123456789012 for request "
        "c0ffee123456789012abcdef, phone [hidden]")


def test_a_traceback_is_masked_too():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    try:
        raise ValueError("no account 001090012345")
    except ValueError as error:
        record.exc_info = (ValueError, error, error.__traceback__)
    Context().filter(record)
    assert "001090012345" not in PlainFormatter().format(record)
    assert "ValueError: no account [hidden]" in PlainFormatter().format(record)


@pytest.mark.django_db(transaction=True)
def test_no_line_names_the_person_who_registers_and_logs_in(client, sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/dang-ky/mobile/", {**AN, **CAPTCHA})
    client.post("/dang-ky/xac-thuc-otp/", {"code": "000000"})
    codes = [last_code(sms_outbox)]
    client.post("/dang-ky/xac-thuc-otp/", {"code": codes[0]})
    client.post("/dang-ky/mat-khau/", {"password1": PASSWORD, "password2": PASSWORD})
    client.post("/dang-nhap/", {"username": AN["id_number"], "password": "Sai@mat-khau1",
                                **CAPTCHA})
    response = client.post("/dang-nhap/", {"username": AN["id_number"], "password": PASSWORD,
                                           **CAPTCHA})
    assert response.status_code == 302, "the login reached its code"
    codes.append(last_code(sms_outbox))
    client.post("/dang-nhap/xac-thuc-otp/", {"code": "999999"})
    assert client.post("/dang-nhap/xac-thuc-otp/", {"code": codes[1]}).status_code == 302
    lines = [logging.Formatter("%(name)s %(message)s").format(record)
             for record in caplog.records]
    assert lines, "the flows wrote something (else the test proves nothing)"
    day, month, year = AN["birth_date"].split("/")
    personal = [AN["id_number"], AN["phone"], "+84" + AN["phone"][1:], AN["full_name"],
                "Nguyen Van An", f"{year}-{month}-{day}", AN["birth_date"], PASSWORD,
                "Sai@mat-khau1", *codes]
    assert [(value, line) for line in lines for value in personal if value in line] == []
