"""The SMS gateway stand-in, as the HTTP SMS backend and an operator see it."""

import re
import socket
from urllib.parse import urlsplit

import requests

from tests.fixtures_sandbox import running_sandbox


def send(base_url: str, key: str, to: str = "+84912345001", text: str = "Mã xác thực: 123456"):
    return requests.post(
        base_url + "/sms/send", json={"to": to, "text": text},
        headers={"Idempotency-Key": key}, timeout=5,
    )


def test_it_stores_a_sent_message_for_the_tester_to_read(sandbox_server, sandbox_sms):
    answer = send(sandbox_server, "msg-1")
    assert answer.status_code == 200
    assert answer.json() == {"status": "accepted", "id": "msg-1"}
    [message] = sandbox_sms.messages()
    assert (message["to"], message["text"], message["key"]) == (
        "+84912345001", "Mã xác thực: 123456", "msg-1"
    )
    assert message["received_at"]


def test_it_stores_a_retried_message_only_once(sandbox_server, sandbox_sms):
    for _ in range(3):
        assert send(sandbox_server, "msg-retried").json()["status"] == "accepted"
    assert len(sandbox_sms.messages()) == 1


def test_it_lists_the_newest_message_first_and_clears(sandbox_server, sandbox_sms):
    send(sandbox_server, "first", text="one")
    send(sandbox_server, "second", text="two")
    assert [m["text"] for m in sandbox_sms.messages()] == ["two", "one"]
    sandbox_sms.clear()
    assert sandbox_sms.messages() == []


def test_it_refuses_a_send_without_an_idempotency_key(sandbox_server, sandbox_sms):
    answer = requests.post(
        sandbox_server + "/sms/send", json={"to": "+84912345001", "text": "x"}, timeout=5
    )
    assert answer.status_code == 400
    assert sandbox_sms.messages() == []


def test_it_fails_the_first_sends_when_asked_so_retries_can_be_tested():
    with running_sandbox("--sms-fail-first", "2") as base_url:
        statuses = [send(base_url, "msg-flaky").status_code for _ in range(3)]
        stored = requests.get(base_url + "/sms/messages", timeout=5).json()
    assert statuses == [503, 503, 200]
    assert [m["key"] for m in stored] == ["msg-flaky"]


def test_it_lists_only_the_messages_to_one_phone_when_asked(sandbox_server, sandbox_sms):
    send(sandbox_server, "to-an", to="+84912345001", text="cho An")
    send(sandbox_server, "to-binh", to="+84912345002", text="cho Bình")
    answer = requests.get(sandbox_server + "/sms/messages", params={"to": "+84912345002"},
                          timeout=5).json()
    assert [m["text"] for m in answer] == ["cho Bình"]
    assert len(sandbox_sms.messages()) == 2


def test_a_cleared_key_may_be_sent_again(sandbox_server, sandbox_sms):
    send(sandbox_server, "again", text="one")
    sandbox_sms.clear()
    send(sandbox_server, "again", text="two")
    assert [m["text"] for m in sandbox_sms.messages()] == ["two"]


def _raw_send(key: str) -> bytes:
    body = b'{"to": "+84912345001", "text": "qua ket noi giu"}'
    return (b"POST /sms/send HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
            b"Idempotency-Key: " + key.encode() + b"\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


def _answers(sock: socket.socket, count: int) -> list[bytes]:
    """Read `count` answers off one connection (each has a Content-Length)."""
    reader, answers = sock.makefile("rb"), []
    for _ in range(count):
        head = b"".join(iter(reader.readline, b"\r\n"))
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        answers.append(head + reader.read(length))
    return answers


def test_it_answers_several_sends_on_one_kept_alive_connection(sandbox_server, sandbox_sms):
    """The SMS worker keeps its connection to the gateway: the stand-in must too, or every
    message would pay for a new connection and a new server thread."""
    host, port = urlsplit(sandbox_server).hostname, urlsplit(sandbox_server).port
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(_raw_send("kept-1") + _raw_send("kept-2") + _raw_send("kept-1"))
        answers = _answers(sock, 3)
    assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers)
    assert all(b"Connection: close" not in answer for answer in answers)
    assert sorted(m["key"] for m in sandbox_sms.messages()) == ["kept-1", "kept-2"]


def test_a_refusal_before_the_body_is_read_closes_the_connection(sandbox_server, sandbox_sms):
    """An unread body would be taken for the next request: the stand-in closes instead, and
    the caller's next send, on a new connection, is recorded once."""
    with requests.Session() as session:
        refused = session.post(sandbox_server + "/sms/unknown", json={"to": "+84912345001"},
                               timeout=5)
        accepted = session.post(sandbox_server + "/sms/send",
                                json={"to": "+84912345001", "text": "sau"},
                                headers={"Idempotency-Key": "after-refusal"}, timeout=5)
    assert (refused.status_code, refused.headers.get("Connection")) == (404, "close")
    assert accepted.json() == {"status": "accepted", "id": "after-refusal"}
    assert [m["key"] for m in sandbox_sms.messages()] == ["after-refusal"]


def test_it_logs_refusals_but_not_each_accepted_send(tmp_path):
    log = tmp_path / "sandbox.log"
    with running_sandbox(log=log) as base_url:
        send(base_url, "quiet")
        requests.post(base_url + "/sms/send", json={"to": "+84912345001", "text": "x"},
                      timeout=5)  # no idempotency key: 400
    lines = [line for line in log.read_text().splitlines() if "/sms/send" in line]
    assert len(lines) == 1 and '" 400 ' in lines[0]
