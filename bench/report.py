"""The table `make bench` prints: each figure's median over the repeats and its spread,
the baseline measured in the same repeats, their ratio (per repeat, then the median)
and the goal of the issue."""

import datetime as dt
import os
import platform
import statistics
from dataclasses import dataclass, field

BARE = "bare Django view (baseline)"


@dataclass
class Results:
    cores: int
    web_workers: int
    repeats: dict[str, list] = field(default_factory=dict)
    console: list[dict] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    def add(self, name: str, result) -> None:
        self.repeats.setdefault(name, []).append(result)
        self.loads.append(os.getloadavg()[0])

    def raw(self) -> dict:
        return {"cores": self.cores, "web_workers": self.web_workers,
                "repeats": self.repeats, "console": self.console}


@dataclass
class Row:
    figure: str
    measured: list[float]
    unit: str = "/s"
    baseline: list[float] | None = None
    goal: str = ""
    met: bool | None = None

    def ratios(self) -> list[float]:
        return [m / b for m, b in zip(self.measured, self.baseline or [], strict=False) if b]


def rows(results: Results) -> list[Row]:
    found = []
    for builder in (login_rows, page_rows, register_rows, sms_rows, console_rows,
                    signature_rows):
        found += builder(results)
    return found


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def at_least(share: float):
    return lambda row: median(row.ratios()) >= share


def login_rows(results: Results) -> list[Row]:
    logins, hashes = results.repeats.get("login", []), results.repeats.get("hash", [])
    ceiling = [1 / run["seconds"] for run in hashes]
    found = []
    if logins:
        row = Row("password step of login, per second per core",
                  per_core(results, "login"), baseline=ceiling,
                  goal="(the POST alone, for reference)")
        p95 = Row("  p95 of the password step", [step(run, "POST password") for run in logins],
                  unit="ms", goal="(for reference)")
        found += [row, p95]
    return found + whole_login_rows(results, ceiling)


def whole_login_rows(results: Results, ceiling: list[float]) -> list[Row]:
    """The portal's password step as a person makes it (page, picture, POST, code page)
    and the peer's stock login (page, POST, next page), each whole, against the same
    ceiling; then the one against the other."""
    person, peer = results.repeats.get("login_person", []), results.repeats.get("peer_login", [])
    found = []
    if person:
        portal = Row("password step as a person makes it, per second per core",
                     per_core(results, "login_person"), baseline=ceiling,
                     goal="≥ 0.65 of 1 ÷ Argon2id and above the peer")
        portal.met = None if at_least(0.65)(portal) else False  # the rest needs the peer
        found += [portal, Row("  p95 of a whole step: page, picture, POST, code page",
                              [step(run, "whole login") for run in person], unit="ms",
                              goal="(for reference)")]
    if peer:
        found += [Row("django-allauth password login (the peer), per second per core",
                      per_core(results, "peer_login"), baseline=ceiling,
                      goal="(peer, for reference)"),
                  Row("  p95 of a whole peer login: page, POST, next page",
                      [step(run, "whole login") for run in peer], unit="ms",
                      goal="(for reference)")]
    if person and peer:
        # Both ratios share each repeat's ceiling: their quotient is the logins' quotient.
        versus = Row("  portal as a person ÷ the peer (ratio ÷ ratio)",
                     per_core(results, "login_person"),
                     baseline=per_core(results, "peer_login"), goal="> 1: above the peer")
        versus.met = median(versus.ratios()) > 1
        portal.met = at_least(0.65)(portal) and versus.met
        found.append(versus)
    return found


def per_core(results: Results, name: str) -> list[float]:
    return [run["rate"] / results.cores for run in results.repeats.get(name, [])]


def page_rows(results: Results) -> list[Row]:
    runs = results.repeats.get("pages", [])
    if not runs:
        return []
    bare = [run[BARE]["rate"] for run in runs]
    found = [Row(f"public page: {BARE}", bare, unit="req/s", goal="(baseline)")]
    for label in runs[0]:
        if label != BARE:
            # Issue 19's goals: the two link pages ≥ 0.60, a page with a form ≥ 0.35.
            goal = 0.35 if label.startswith("form") else 0.6
            row = Row(f"public page: {label}", [run[label]["rate"] for run in runs],
                      unit="req/s", baseline=bare, goal=f"≥ {goal:.2f} of bare view")
            row.met = at_least(goal)(row)
            found.append(row)
    return found


def register_rows(results: Results) -> list[Row]:
    runs = results.repeats.get("register", [])
    if not runs:
        return []
    whole = Row("whole mobile registrations per second", [run["rate"] for run in runs],
                goal="≥ 20/s")
    whole.met = median(whole.measured) >= 20
    found = [whole]
    paced = results.repeats.get("register_paced", [])
    if paced:
        rate = Row("  completed when 20 start each second", [run["rate"] for run in paced],
                   goal="(for reference)")
        found.append(rate)
        for name in paced[0]["steps"]:
            row = Row(f"  p95 at 20/s: {name}", [step(run, name) for run in paced],
                      unit="ms", goal="< 250 ms")
            row.met = median(row.measured) < 250
            found.append(row)
    return found


def step(run: dict, name: str) -> float:
    return run["steps"].get(name, {}).get("p95", float("nan"))


def sms_rows(results: Results) -> list[Row]:
    runs = results.repeats.get("sms", [])
    if not runs:
        return []
    rate = Row("OTP SMS through Celery + Redis to the gateway", [run["sms_rate"] for run in runs],
               baseline=[run["noop_rate"] for run in runs], goal="≥ 0.60 of no-op task")
    rate.met = at_least(0.6)(rate)
    paced = runs[0]["latency"]["count"]
    latency = Row(f"  queued → gateway p99 ({paced} SMS at a steady pace)",
                  [run["latency"]["p99"] for run in runs], unit="ms", goal="< 1000 ms")
    latency.met = median(latency.measured) < 1000
    return [rate, latency]


def console_rows(results: Results) -> list[Row]:
    found = []
    for item in results.console:
        row = Row(f"console search p95 at {item['records']:,}: {item['label']}",
                  item["measured"], unit="ms", baseline=item["baseline"],
                  goal="< 50 ms, ratio < 2")
        row.met = median(row.measured) < 50 and median(row.ratios()) < 2
        found.append(row)
    return found


def signature_rows(results: Results) -> list[Row]:
    runs = results.repeats.get("signatures", [])
    if not runs:
        return []
    portal = [run["portal_rate"] for run in runs]
    row = Row("certificate + signature checks per second (one core)", portal,
              baseline=[run["library_rate"] for run in runs],
              goal="≥ 0.80 of raw cryptography")
    row.met = at_least(0.8)(row)
    floor = Row("  the same against its three RSA verifications alone", portal,
                baseline=[run["signatures_rate"] for run in runs], goal="(for reference)")
    return [row, floor]


def spread(values: list[float], digits: int = 1) -> str:
    if len(values) < 2:
        return ""
    return f"{min(values):,.{digits}f}–{max(values):,.{digits}f}"


def table(results: Results) -> str:
    load = f"{min(results.loads):.1f}–{max(results.loads):.1f}" if results.loads else "?"
    repeats = max((len(runs) for runs in results.repeats.values()), default=0)
    found = rows(results)
    goal_width = max([24, *(len(row.goal) for row in found)])
    lines = [
        f"make bench, {dt.datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: "
        f"{results.cores} cores, {results.web_workers} gunicorn workers, "
        f"{repeats} repeats, 1-min load average {load}",
        "medians over the repeats; spread = lowest–highest repeat; ratio = measured ÷ "
        "baseline, per repeat, then the median",
        "",
        f"{'figure':<62} {'median':>10} {'spread':>19} {'baseline':>10} {'ratio':>6} "
        f"{'ratio spread':>13}  {'goal':<{goal_width}} met",
    ]
    lines.append("-" * len(lines[-1]))
    for row in found:
        ratios = row.ratios()
        baseline = f"{median(row.baseline):>10,.1f}" if row.baseline else f"{'':>10}"
        ratio = f"{median(ratios):>6.2f}" if ratios else f"{'':>6}"
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append(
            f"{row.figure:<62} {median(row.measured):>7,.1f} {row.unit:<5}"
            f"{spread(row.measured):>17} {baseline} {ratio} {spread(ratios, 2):>13}  "
            f"{row.goal:<{goal_width}} {met}"
        )
    lines += failures(results)
    return "\n".join(lines) + "\n"


def failures(results: Results) -> list[str]:
    """Anything that went wrong while measuring: figures with failures are not figures."""
    found = []
    for name in ("login", "login_person", "peer_login", "register", "register_paced"):
        for index, run in enumerate(results.repeats.get(name, [])):
            if run["failed"]:
                found.append(f"{name}, repeat {index + 1}: {run['failed']} failed, e.g. "
                             f"{run['failures'][0]}")
    for index, run in enumerate(results.repeats.get("pages", [])):
        for label, page in run.items():
            if page["failed"]:
                found.append(f"{label}, repeat {index + 1}: {page['failed']} failed, e.g. "
                             f"{page['failures'][0]}")
    return ["", "failures while measuring:", *found] if found else ["", "no failures."]
