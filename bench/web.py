"""The load driver of `make bench`: a process of its own that walks the portal over HTTP as
many people at once and prints what it measured as JSON.

    python -m bench.web pages    --web URL [--seconds 4] [--concurrency 16]
    python -m bench.web login    --web URL --first N --count N
    python -m bench.web login-person --web URL --first N --count N
    python -m bench.web peer-login   --web URL --first N --count N    # django-allauth
    python -m bench.web register --web URL --sandbox URL --first N
                                 [--seconds 15] [--concurrency 16 | --rate 20]

It works out each picture code (captcha) from its key with the portal's own code (run in
the bench's environment: bench.settings and its SECRET_KEY) and reads each SMS code from
the SMS gateway stand-in, where a person would read them off the screen and the phone.
"""

import argparse
import asyncio
import json
import re
import statistics
import time
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

import django

from bench.client import Client, HttpError, Response
from bench.people import PASSWORD, login_person, registrant

CAPTCHA_IMAGE_RE = re.compile(r'src="(/captcha/image/([0-9a-f]+)/)"')
CODE_RE = re.compile(r"\b(\d{6})\b")
PUBLIC_PAGES = {
    "bare Django view (baseline)": "/bench/bare/",
    "home": "/",
    "registration chooser": "/dang-ky/",
    "form: mobile subscriber": "/dang-ky/mobile/",
    "form: social insurance": "/dang-ky/bhxh/",
    "form: Vietnam Post": "/dang-ky/vnpost/",
    "form: login": "/dang-nhap/",
    "form: forgotten password": "/quen-mat-khau/",
}
SMS_WAIT_SECONDS = 15.0


class Refused(Exception):
    """The portal did not answer as the flow expects (the status, then the page's end)."""


def expect(response: Response, status: int, location: str = "") -> Response:
    if response.status != status or (location and response.location != location):
        raise Refused(f"{response.status} {response.location} {response.text[-300:]!r}")
    return response


class Run:
    """The counters of one measurement: each step's times, successes and failures."""

    def __init__(self):
        self.steps: dict[str, list[float]] = defaultdict(list)
        self.done = 0
        self.failures: list[str] = []

    def step(self, name: str, response: Response) -> Response:
        self.steps[name].append(response.seconds)
        return response

    def fail(self, error: Exception) -> None:
        self.failures.append(f"{type(error).__name__}: {error}"[:400])

    def summary(self, seconds: float) -> dict:
        return {
            "seconds": seconds, "done": self.done, "rate": self.done / seconds,
            "failed": len(self.failures), "failures": self.failures[:5],
            "steps": {name: timing_ms(values) for name, values in self.steps.items()},
        }


def timing_ms(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"count": len(ordered), "median": 1000 * statistics.median(ordered),
            "p95": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
            "p99": 1000 * ordered[int(0.99 * (len(ordered) - 1))]}


class Portal:
    """What every virtual person shares: where the portal is, and how codes are read."""

    def __init__(self, web: str, sandbox: str = ""):
        url = urlsplit(web)
        self.host, self.port = url.hostname, url.port
        self.sandbox = urlsplit(sandbox) if sandbox else None

    def client(self) -> Client:
        return Client(self.host, self.port)

    async def captcha(self, client: Client, page: Response, run: Run) -> dict:
        """The picture's code: the browser loads the picture, the person reads it (here the
        answer is worked out from its key, as the portal does: the bench holds its
        SECRET_KEY)."""
        from accounts.captcha_keys import captcha_answer

        match = CAPTCHA_IMAGE_RE.search(page.text)
        if not match:
            raise Refused("no captcha on the page")
        run.step("captcha picture", expect(await client.get(match[1]), 200))
        return {"captcha_0": match[2], "captcha_1": captcha_answer(match[2])}

    async def sms_code(self, phone: str, after: int) -> str:
        """The code of the newest SMS to `phone` once more than `after` have arrived."""
        gateway = Client(self.sandbox.hostname, self.sandbox.port)
        deadline = time.monotonic() + SMS_WAIT_SECONDS
        while time.monotonic() < deadline:
            messages = json.loads((await gateway.get(
                "/sms/messages?" + urlencode({"to": phone}))).body)
            if len(messages) > after:
                return CODE_RE.search(messages[0]["text"])[1]
            await asyncio.sleep(0.02)
        raise Refused(f"no SMS to {phone} within {SMS_WAIT_SECONDS:.0f} s")


async def register_one(portal: Portal, person: dict, run: Run) -> None:
    client = portal.client()
    run.step("GET chooser", expect(await client.get("/dang-ky/"), 200))
    page = run.step("GET form", expect(await client.get("/dang-ky/mobile/"), 200))
    captcha = await portal.captcha(client, page, run)
    birth = "/".join(reversed(person["birth_date"].split("-")))
    form = {"id_number": person["id_number"], "full_name": person["full_name"],
            "birth_date": birth, "phone": "0" + person["phone"][3:], "email": "", **captcha}
    response = await client.post("/dang-ky/mobile/", form)
    run.step("POST identity (carrier check, SMS queued)",
             expect(response, 302, "/dang-ky/xac-thuc-otp/"))
    run.step("GET code page", expect(await client.get("/dang-ky/xac-thuc-otp/"), 200))
    code = await portal.sms_code(person["phone"], after=0)
    response = await client.post("/dang-ky/xac-thuc-otp/", {"code": code})
    run.step("POST code", expect(response, 302, "/dang-ky/mat-khau/"))
    run.step("GET password page", expect(await client.get("/dang-ky/mat-khau/"), 200))
    response = await client.post("/dang-ky/mat-khau/",
                                 {"password1": PASSWORD, "password2": PASSWORD})
    run.step("POST password (Argon2id, account written)",
             expect(response, 302, "/dang-nhap/"))


async def register(args) -> dict:
    """Without --rate: `concurrency` people register one after another for `seconds` (how
    many the portal carries). With --rate: a new person starts every 1/rate seconds,
    however many are still on their way (how long each step takes at that pace)."""
    portal = Portal(args.web, args.sandbox)
    people = iter(range(args.first, args.first + 1_000_000))
    run = Run()
    deadline = time.monotonic() + args.seconds

    async def one_person():
        try:
            await register_one(portal, registrant(next(people)), run)
            run.done += 1
        except (Refused, HttpError) as error:
            run.fail(error)

    async def person_after_person():
        while time.monotonic() < deadline:
            await one_person()

    started = time.monotonic()
    if args.rate:
        arrivals = []
        for index in range(int(args.rate * args.seconds)):
            await asyncio.sleep(max(0.0, started + index / args.rate - time.monotonic()))
            arrivals.append(asyncio.create_task(one_person()))
        await asyncio.gather(*arrivals)
    else:
        await asyncio.gather(*(person_after_person() for _ in range(args.concurrency)))
    return run.summary(time.monotonic() - started)


async def login(args) -> dict:
    """The password step alone: every login form is fetched first, then the passwords are
    posted `concurrency` at a time and only those posts are counted."""
    portal = Portal(args.web)
    run = Run()
    ready = await bounded(args.concurrency, [login_form(portal, number, run)
                                              for number in range(args.first,
                                                                  args.first + args.count)])
    ready = [item for item in ready if item]
    started = time.monotonic()
    await bounded(args.concurrency, [login_post(client, form, run) for client, form in ready])
    return run.summary(time.monotonic() - started)


async def login_form(portal: Portal, number: int, run: Run):
    client = portal.client()
    try:
        page = expect(await client.get("/dang-nhap/"), 200)
        captcha = await portal.captcha(client, page, Run())
    except (Refused, HttpError) as error:
        run.fail(error)
        return None
    return client, {"username": login_person(number)["username"], "password": PASSWORD,
                    **captcha}


async def login_post(client: Client, form: dict, run: Run) -> None:
    try:
        response = await client.post("/dang-nhap/", form)
        run.step("POST password", expect(response, 302, "/dang-nhap/xac-thuc-otp/"))
        run.done += 1
    except (Refused, HttpError) as error:
        run.fail(error)


async def login_whole(args) -> dict:
    """The password step as a person makes it: the login page, its picture, the password
    posted (the SMS code issued and queued) and the code page, `concurrency` people at a
    time, each person timed from the first request to the last."""
    portal = Portal(args.web)

    async def one(client: Client, username: str, run: Run) -> None:
        page = run.step("GET login page", expect(await client.get("/dang-nhap/"), 200))
        captcha = await portal.captcha(client, page, run)
        response = await client.post("/dang-nhap/",
                                     {"username": username, "password": PASSWORD, **captcha})
        run.step("POST password", expect(response, 302, "/dang-nhap/xac-thuc-otp/"))
        run.step("GET code page", expect(await client.get("/dang-nhap/xac-thuc-otp/"), 200))

    return await whole_logins(portal, args, one)


async def peer_login(args) -> dict:
    """The same for the peer, django-allauth's stock login (bench/peer/): its login page,
    the password posted with the CSRF token, and the page it leads to."""
    portal = Portal(args.web)

    async def one(client: Client, username: str, run: Run) -> None:
        run.step("GET login page", expect(await client.get("/accounts/login/"), 200))
        response = await client.post("/accounts/login/",
                                     {"login": username, "password": PASSWORD})
        run.step("POST password", expect(response, 302, "/welcome/"))
        page = run.step("GET next page", expect(await client.get("/welcome/"), 200))
        if f">{username}<" not in page.text:
            raise Refused("the next page does not name the person logged in")

    return await whole_logins(portal, args, one)


async def whole_logins(portal: Portal, args, one) -> dict:
    """`args.count` people from `args.first` each log in by `one`, `concurrency` at a
    time; "whole login" is each person's time from the first request to the last."""
    run = Run()

    async def person(number: int) -> None:
        started = time.perf_counter()
        try:
            await one(portal.client(), login_person(number)["username"], run)
        except (Refused, HttpError) as error:
            run.fail(error)
            return
        run.steps["whole login"].append(time.perf_counter() - started)
        run.done += 1

    started = time.monotonic()
    await bounded(args.concurrency, [person(number) for number in
                                     range(args.first, args.first + args.count)])
    return run.summary(time.monotonic() - started)


async def bounded(limit: int, coroutines: list) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(coroutine) for coroutine in coroutines))


async def pages(args) -> dict:
    """Each page fetched by `concurrency` first-time visitors for `seconds`: requests/s."""
    portal = Portal(args.web)
    results = {}
    for label, path in PUBLIC_PAGES.items():
        run = Run()
        deadline = time.monotonic() + args.seconds

        async def visitor(path=path, run=run, deadline=deadline):
            while time.monotonic() < deadline:
                try:
                    run.step("GET", expect(await portal.client().get(path), 200))
                    run.done += 1
                except (Refused, HttpError) as error:
                    run.fail(error)

        started = time.monotonic()
        await asyncio.gather(*(visitor() for _ in range(args.concurrency)))
        results[label] = run.summary(time.monotonic() - started)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scenarios = {"pages": pages, "login": login, "login-person": login_whole,
                 "peer-login": peer_login, "register": register}
    parser.add_argument("scenario", choices=scenarios)
    parser.add_argument("--web", required=True)
    parser.add_argument("--sandbox", default="")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--rate", type=float, default=0.0)
    args = parser.parse_args()
    django.setup()  # the picture codes' answers are worked out by the portal's own code
    print(json.dumps(asyncio.run(scenarios[args.scenario](args))))


if __name__ == "__main__":
    main()
