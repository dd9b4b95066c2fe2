"""Time the console's counter-account search on the bench databases (100k baseline, 1M).

    python bench/console_search.py [--runs 200] [--repeats 3] [--explain slowest|all]

Each filter runs as the list page does: the search, then `.count()` and the first page of
20 (`list(qs[:20])`), through the Django ORM, `--runs` times after a warm-up. A repeat is
one child process per database (Django holds one DATABASE_URL per process); repeats
alternate 100k, 1M, 100k, 1M… so that both databases see the same background load. The
parent prints medians and p95 (median over repeats, and the p95 spread), the 1M/100k
ratios and the EXPLAIN ANALYZE of the slowest filter on 1M. Seed the databases first with
bench/seed_counter_accounts.py.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time

BASE = "postgres://postgres@127.0.0.1:5432/"
GOAL_P95_MS = 50.0
GOAL_RATIO = 2.0
WINDOW = (dt.date(2026, 3, 1), dt.date(2026, 5, 31))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-url", default=BASE + "bench_console_100k")
    parser.add_argument("--large-url", default=BASE + "bench_console_1m")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--explain", choices=["slowest", "all"], default="slowest")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--summary", metavar="FILE",
                        help="also write each filter's p95 and ratio as JSON (make bench)")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.child:
        print(json.dumps(measure_database(args)))
        return
    databases = {"100k": args.baseline_url, "1M": args.large_url}
    results: dict[str, dict] = {}
    for repeat in range(1, args.repeats + 1):
        for label, url in databases.items():
            print(f"repeat {repeat}/{args.repeats}, {label}: {url}", file=sys.stderr, flush=True)
            merge(results, label, run_child(args, url))
    report(results, args)
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as file:
            json.dump(summaries(results), file)


def summaries(results: dict) -> list[dict]:
    """Per filter: the p95 of each repeat on 100k and on 1M (ms)."""
    pairs = zip(results["100k"]["scenarios"], results["1M"]["scenarios"], strict=True)
    return [{"label": large["label"], "records": results["1M"]["records"],
             "baseline": [repeat["p95"] for repeat in small["repeats"]],
             "measured": [repeat["p95"] for repeat in large["repeats"]]}
            for small, large in pairs]


def run_child(args: argparse.Namespace, url: str) -> dict:
    command = [
        sys.executable, __file__, "--child", url, "--runs", str(args.runs),
        "--warmup", str(args.warmup), "--seed", str(args.seed),
    ]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout)


def merge(results: dict, label: str, part: dict) -> None:
    """One repeat of one database into the results: its timings appended, the rest kept."""
    if label not in results:
        part["loads"] = [part.pop("load")]
        for item in part["scenarios"]:
            item["repeats"] = [item.pop("timing")]
        results[label] = part
        return
    results[label]["loads"].append(part["load"])
    pairs = zip(results[label]["scenarios"], part["scenarios"], strict=True)
    for item, new in pairs:
        item["repeats"].append(new["timing"])
        item["explain"] = new["explain"]


# -- child: one repeat on one database -------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = url
    import django
    from django.conf import settings

    django.setup()
    # DEBUG=1 only for the development defaults; no query log while timing.
    settings.DEBUG = False


def measure_database(args: argparse.Namespace) -> dict:
    setup_django(args.child)
    from django.db import connection

    load_before = os.getloadavg()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM operator_console_counterrecord")
        records = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    from operator_console.selectors import counter_records_search as search
    cases = scenarios(random.Random(args.seed))
    results = [measure_scenario(case, search, args) for case in cases]
    load = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
    return {"records": records, "server": version, "load": load, "scenarios": results}


def scenarios(rng: random.Random) -> list[dict]:
    """The filters, as a province-centre clerk (all counters of the busiest province) and
    as a commune clerk (the busiest commune counter of that province) would use them."""
    from django.db.models import Count

    from accounts.models import Account
    from operator_console.models import CounterRecord, Membership, Unit

    counters = list(Unit.objects.filter(kind="service").select_related("parent"))
    per_unit = dict(CounterRecord.objects.values_list("unit").annotate(n=Count("pk")))
    by_province: dict[int, list] = {}
    for unit in counters:
        province = unit.parent_id if unit.parent.kind == "province" else unit.parent.parent_id
        by_province.setdefault(province, []).append(unit)
    province_units = max(by_province.values(), key=lambda units: records_in(units, per_unit))
    communes = [unit for unit in province_units if unit.code.startswith("S-X")]
    commune = max(communes, key=lambda unit: per_unit.get(unit.id, 0))
    clerk = Account.objects.get(pk=Membership.objects.filter(unit=commune).values("account")[:1])
    in_province = CounterRecord.objects.filter(unit__in=province_units)
    sample = rng.sample(sorted(in_province.values_list("pk", flat=True)), 50)
    citizens = list(Account.objects.filter(pk__in=sample).values_list("username", "phone"))
    province = {"units": province_units}
    at_commune = {"units": [commune]}
    return [
        scenario("ID number (exact)", province,
                 [{"id_number": username} for username, _ in citizens]),
        scenario("phone (exact)", province, [{"phone": phone} for _, phone in citizens]),
        scenario("name 'nguyen van an'", province, [{"name": "nguyen van an"}]),
        scenario("name 'thi thao'", province, [{"name": "thi thao"}]),
        scenario("name 'nguyen van an', commune", at_commune, [{"name": "nguyen van an"}]),
        scenario("unit + 3 months", province, [
            {"unit_id": commune.id, "date_from": WINDOW[0], "date_to": WINDOW[1]}]),
        scenario(f"clerk '{clerk.name_folded}'", province, [{"clerk_name": clerk.name_folded}]),
        scenario("list, commune clerk", at_commune, [{}]),
        scenario("list, province clerk", province, [{}]),
    ]


def records_in(units, per_unit: dict) -> int:
    return sum(per_unit.get(unit.id, 0) for unit in units)


def scenario(label: str, scope: dict, params: list[dict]) -> dict:
    return {"label": label, "calls": [{**scope, **extra} for extra in params]}


def list_page(search, call: dict) -> tuple[int, list]:
    """What the list page does: the total and the first page of 20."""
    records = search(**call)
    return records.count(), list(records[:20])


def measure_scenario(case: dict, search, args: argparse.Namespace) -> dict:
    calls = case["calls"]
    for index in range(args.warmup):
        list_page(search, calls[index % len(calls)])
    samples = []
    for index in range(args.runs):
        started = time.perf_counter()
        list_page(search, calls[index % len(calls)])
        samples.append((time.perf_counter() - started) * 1000)
    timing = {"median": statistics.median(samples), "p95": percentile95(samples)}
    total, _page = list_page(search, calls[0])
    return {"label": case["label"], "rows": total, "units": len(calls[0]["units"]),
            "timing": timing, "explain": explain(search, calls[0])}


def percentile95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def explain(search, call: dict) -> list[str]:
    """EXPLAIN ANALYZE of the list page's queries, as sent (client-side binding)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        list_page(search, call)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"{query['sql']}\n{plan}")
    return plans


# -- parent: report --------------------------------------------------------------------


def summary(result: dict) -> dict:
    medians = [repeat["median"] for repeat in result["repeats"]]
    p95s = [repeat["p95"] for repeat in result["repeats"]]
    return {"median": statistics.median(medians), "p95": statistics.median(p95s),
            "spread": f"{min(p95s):.1f}-{max(p95s):.1f}"}


def report(results: dict, args: argparse.Namespace) -> None:
    print(f"console search bench, {dt.date.today()}, "
          f"{os.cpu_count()} CPUs, PostgreSQL {results['1M']['server'].split()[0]}, "
          f"{args.runs} runs x {args.repeats} repeats (count + first page of 20, ms)")
    for label, result in results.items():
        loads = ", ".join(result["loads"])
        print(f"\n{label}: {result['records']:,} counter accounts "
              f"(1-min load average per repeat: {loads})")
        print_database(result)
    print_ratios(results)
    print_explains(results["1M"], args.explain)


def print_database(result: dict) -> None:
    header = f"{'filter':<34} {'units':>5} {'rows':>7} {'median':>7} {'p95':>7}  p95 spread"
    print(header)
    print("-" * len(header))
    for item in result["scenarios"]:
        figures = summary(item)
        print(f"{item['label']:<34} {item['units']:>5} {item['rows']:>7,} "
              f"{figures['median']:>7.1f} {figures['p95']:>7.1f}  {figures['spread']}")


def print_ratios(results: dict) -> None:
    print(f"\ngoal: p95 < {GOAL_P95_MS:.0f} ms and ratio 1M/100k < {GOAL_RATIO:.0f}")
    header = (f"{'filter':<34} {'p95 100k':>8} {'p95 1M':>8} {'ratio p95':>9} "
              f"{'ratio med':>9}  goal")
    print(header)
    print("-" * len(header))
    pairs = zip(results["100k"]["scenarios"], results["1M"]["scenarios"], strict=True)
    for small, large in pairs:
        before, after = summary(small), summary(large)
        ratio = after["p95"] / before["p95"]
        ratio_median = after["median"] / before["median"]
        met = after["p95"] < GOAL_P95_MS and ratio < GOAL_RATIO
        print(f"{large['label']:<34} {before['p95']:>8.1f} {after['p95']:>8.1f} "
              f"{ratio:>9.2f} {ratio_median:>9.2f}  {'ok' if met else 'MISS'}")


def print_explains(result: dict, which: str) -> None:
    items = result["scenarios"]
    if which == "slowest":
        items = [max(items, key=lambda item: summary(item)["p95"])]
    for item in items:
        print(f"\nEXPLAIN ANALYZE on 1M, {item['label']} (the list page's queries in order):")
        for plan in item["explain"]:
            print(f"\n{plan}")


if __name__ == "__main__":
    main()
