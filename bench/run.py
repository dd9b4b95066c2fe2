"""`make bench`: start the production shape, measure each figure against a baseline taken
in the same run, a few times over, and print one table (median and spread of each).

    .venv/bin/python -m bench.run [--repeats 3] [--quick] [--skip-console] [--pages-only]

The web, login and registration figures come from bench/web.py, a separate process that
drives gunicorn over HTTP, the portal's and the peer's (django-allauth's stock login,
bench/peer/, from its own virtual environment: bench/peer_stack.py); the SMS figures from
bench/sms.py (a process that queues as the portal does); the signature figures from
bench/signatures.py; the console search from bench/console_search.py on its own seeded
databases (bench/seed_counter_accounts.py).
Logs, raw results and the table are kept in var/bench/<date-time>/.
"""

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.peer_stack import PeerStack
from bench.report import Results, table
from bench.stack import ROOT, Stack, database_recreate

# The bench's database; the console's two sit beside it on the same server.
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/bench_portal")
REGISTRANTS = 40_000
LOGINS = 8_000  # a repeat's share is halved: the password posted alone, then as a person
REGISTER_RATE = 20  # the goal: 20 registrations/s on 2 cores, p95 < 250 ms a step


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="short runs and a 100k/200k console bench: to try the bench")
    parser.add_argument("--skip-console", action="store_true")
    parser.add_argument("--pages-only", action="store_true",
                        help="the public pages alone (a minute a repeat), e.g. to compare a "
                             "change to a page's rendering before and after")
    parser.add_argument("--web-workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--database-url", default=DATABASE_URL,
                        help="dropped and remade; BENCH_DATABASE_URL by default")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    # Stopped by a signal or a closed terminal, still stop the processes started (the
    # finally below).
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, lambda *_: sys.exit("bench: stopped"))
    out = ROOT / "var" / "bench" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    results = Results(cores=os.cpu_count() or 1, web_workers=args.web_workers)
    stack = Stack(out, args.database_url, web_workers=args.web_workers)
    # The peer counts its rate limits in the stack's Redis, in a database of its own.
    peer = PeerStack(out, args.database_url, web_workers=args.web_workers,
                     cache_url=f"redis://127.0.0.1:{stack.redis_port}/1")
    try:
        prepare(stack, args)
        if not args.pages_only:
            prepare_peer(peer)
        stack.start()
        say(f"portal at {stack.web} ({args.web_workers} gunicorn workers), logs in {out}")
        driver(stack, "pages", "--seconds", "1")  # every worker has imported everything
        if not args.pages_only:
            peer.start()
            say(f"peer (django-allauth) at {peer.web} ({args.web_workers} gunicorn workers)")
            # Every worker of the peer too, with accounts the measures leave alone.
            child(stack, "bench.web", "peer-login", "--web", peer.web, "--count", "48",
                  "--first", str(LOGINS - 48))
        for repeat in range(args.repeats):
            measure_once(stack, peer, results, repeat, args)
    finally:
        peer.stop()
        stack.stop()
    save(results, out)  # kept, should the console's part fail
    if not (args.skip_console or args.pages_only):
        results.console = console(args, out)
    print(save(results, out))


def save(results: Results, out: Path) -> str:
    (out / "results.json").write_text(json.dumps(results.raw(), indent=1))
    text = table(results)
    (out / "table.txt").write_text(text)
    return text


def say(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def prepare(stack: Stack, args) -> None:
    say(f"database {args.database_url}: recreated, migrated, people written")
    database_recreate(args.database_url)
    stack.run(sys.executable, "manage.py", "migrate", "--no-input")
    stack.run(sys.executable, "-m", "bench.people", "--registrants", str(REGISTRANTS),
              "--logins", str(LOGINS), "--out", str(stack.people_file))


def prepare_peer(peer: PeerStack) -> None:
    say("peer: its environment (var/bench/peer-venv) installed if missing or out of date")
    peer.install()
    say(f"peer: database {peer.database_url} recreated, migrated, people written")
    peer.prepare(LOGINS)


def measure_once(stack: Stack, peer: PeerStack, results: Results, repeat: int, args) -> None:
    seconds = 5 if args.quick else 15
    say(f"repeat {repeat + 1}/{args.repeats}: public pages")
    results.add("pages", driver(stack, "pages", "--seconds", "2" if args.quick else "4"))
    if args.pages_only:
        return
    say(f"repeat {repeat + 1}/{args.repeats}: Argon2id baseline, then the password step")
    results.add("hash", child(stack, "bench.hashing"))
    count = LOGINS // args.repeats  # this repeat's accounts, on the portal and the peer
    logins = str(min(count // 2, 150 if args.quick else 600))
    results.add("login", driver(stack, "login", "--first", str(repeat * count),
                                "--count", logins))
    say(f"repeat {repeat + 1}/{args.repeats}: the password step as a person makes it")
    results.add("login_person", driver(stack, "login-person", "--count", logins,
                                       "--first", str(repeat * count + count // 2)))
    say(f"repeat {repeat + 1}/{args.repeats}: the peer's password login (django-allauth)")
    results.add("peer_login", child(stack, "bench.web", "peer-login", "--web", peer.web,
                                    "--first", str(repeat * count), "--count", logins))
    first = repeat * REGISTRANTS // args.repeats
    say(f"repeat {repeat + 1}/{args.repeats}: mobile registrations, as many as it carries")
    results.add("register", driver(stack, "register", "--seconds", str(seconds),
                                   "--first", str(first)))
    say(f"repeat {repeat + 1}/{args.repeats}: mobile registrations at {REGISTER_RATE}/s")
    results.add("register_paced", driver(stack, "register", "--seconds", str(seconds),
                                         "--rate", str(REGISTER_RATE),
                                         "--first", str(first + REGISTRANTS // 2 // args.repeats)))
    say(f"repeat {repeat + 1}/{args.repeats}: SMS through the worker, no-op baseline")
    results.add("sms", child(stack, "bench.sms", "--sandbox", stack.sandbox,
                             "--first", str(repeat * 10_000),
                             "--count", "200" if args.quick else "600",
                             "--seconds", str(seconds)))
    say(f"repeat {repeat + 1}/{args.repeats}: certificate and signature checks")
    results.add("signatures", child(stack, "bench.signatures"))
    time.sleep(1)


def driver(stack: Stack, scenario: str, *options: str) -> dict:
    return child(stack, "bench.web", scenario, "--web", stack.web, "--sandbox",
                 stack.sandbox, *options)


def child(stack: Stack, module: str, *options: str) -> dict:
    return json.loads(stack.run(sys.executable, "-m", module, *options))


def console(args, out: Path) -> list[dict]:
    """The console search: its databases seeded once (kept between runs), then timed."""
    sizes = {"100k": 100_000, "1M": 200_000 if args.quick else 1_000_000}
    server = args.database_url.rsplit("/", 1)[0] + "/"
    urls = {label: server + f"bench_console_{label.lower()}" for label in sizes}
    if args.quick:
        urls["1M"] = server + "bench_console_200k"
    for label, count in sizes.items():
        say(f"console search: seeding {urls[label]} ({count:,} accounts) unless already")
        subprocess.run([sys.executable, "bench/seed_counter_accounts.py", "--count", str(count),
                        "--database-url", urls[label]], cwd=ROOT, check=True)
    summary = out / "console.json"
    say("console search: timing every filter on both databases")
    with open(out / "console.txt", "w") as log:
        subprocess.run([sys.executable, "bench/console_search.py", "--baseline-url",
                        urls["100k"], "--large-url", urls["1M"], "--summary", str(summary),
                        "--runs", "60" if args.quick else "200",
                        "--repeats", str(args.repeats)],
                       cwd=ROOT, check=True, stdout=log)
    return json.loads(summary.read_text())


if __name__ == "__main__":
    main()
