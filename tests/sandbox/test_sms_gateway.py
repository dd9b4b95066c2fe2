"""The SMS gateway stand-in, as the HTTP SMS backend and an operator see it."""

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
