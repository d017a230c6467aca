#!/usr/bin/env python3
"""Writes the data of Fernwood, a SaaS company growing from 2,000 to about 3,800 customers:
24 months (2024-11 to 2026-10) with every input of the standard library, in four sources as a
data team has them (kpi.toml reads all four):

- `warehouse.db`, a SQLite database: `orders` (one row per order: every subscription started,
  after a trial or a sales-led deal, and every monthly usage invoice of Insights, the product
  launched in April 2025; amounts in whole cents) and `cancellations` (one row per customer who
  left). kpi.toml's queries turn them into `new_customers`, `trial_conversions`, `deals_won`,
  `new_product_revenue` and `customers_lost`.
- `exports/trials.csv`, the product's daily export of the trial funnel (`Date,Trials
  started,Trials ended`), summed to months for `trial_users`.
- `budget.xlsx`, finance's workbook: sheet `Budget`, a month per row as a date cell, and
  `mrr_budget`.
- `data.csv`, one row per month, every other input.

Deterministic (no randomness: small "noise" comes from fixed sine waves and a fixed integer
hash), standard library only. Run it from anywhere: `python3 examples/saas/generate.py`. It
first computes the monthly values, then the rows of each source from them, and asserts that
the rows add up to exactly those values: summed here in floating point as kpi does, and, with
Python 3.11's `tomllib`, through kpi.toml's own SQL queries. It checks the consistency rules
below and prints the October 2026 value of every standard and team metric, computed here
independently of `kpi` from the contracted formulas, with its status against the targets read
from the definition files (`../../metrics.d`, then this folder's `metrics.d`, which changes;
reading them needs `tomllib`, otherwise only the values are printed), so the story the data
tells can be checked by hand. The text files are the same byte for byte on every run; the
database's rows are too, its bytes only for a given SQLite version.

Consistency rules (asserted below): each month's `customers_start` is the previous month's
`customers_end`; `customers_end = customers_start + new_customers - customers_lost`;
`paying_customers == customers_end`; `daily_active_users < monthly_active_users`;
`satisfied_responses <= survey_responses`; `promoters + detractors <= nps_responses`;
`deals_won <= leads`; `trial_conversions <= trial_users`; `new_product_revenue <= revenue`;
`escalated_tickets <= support_tickets`; the only empty cells are `survey_responses` in 2026-03
and `mrr_budget` before 2025.

The story:
- growth: 2,000 customers at the start of November 2024, about 3,800 two years later;
- seasonality: fewer sign-ups and less activity in December and August, a January spike in
  sign-ups, marketing spend and cancellations (annual budgets and renewals);
- a price increase in September 2025 (average revenue per account +3);
- a new product launched in April 2025 whose revenue share ramps up;
- trial conversion improving since an onboarding redesign in October 2025;
- the satisfaction survey tool was down in March 2026: `survey_responses` is empty that month;
- a bad release in October 2026: many defects reported by users;
- finance's MRR budget (`mrr_budget`, the target of the team's `mrr`), set each December for the
  next year, none before 2025: MRR beats it until the August 2026 slowdown and runs just under
  it since.
"""

import calendar
import csv
import datetime
import math
import os
import sqlite3
import zipfile

MONTHS = [(2024, 11), (2024, 12)] + [(y, m) for y in (2025, 2026) for m in range(1, 13)]
MONTHS = MONTHS[:24]


def wave(t, period, phase=0.0):
    """Deterministic noise in [-1, 1]."""
    return math.sin(2 * math.pi * (t + phase) / period)


def seasonal(month, dec=1.0, jan=1.0, aug=1.0, sep=1.0):
    return {12: dec, 1: jan, 8: aug, 9: sep}.get(month, 1.0)


rows = []
customers = 2000
for t, (year, month) in enumerate(MONTHS):
    period = f"{year}-{month:02d}"
    start = customers
    new = round((118 + 2.2 * t) * seasonal(month, dec=0.7, jan=1.25, aug=0.8, sep=1.1) + 4 * wave(t, 5))
    churn = (0.026 - 0.0002 * t + 0.0015 * wave(t, 7, 1)) * seasonal(month, jan=1.25)
    lost = round(start * churn)
    end = start + new - lost
    customers = end

    arpa = 49 + 0.35 * t + (3 if (year, month) >= (2025, 9) else 0)
    arpa = round(arpa, 2)
    mrr_value = arpa * end
    revenue = round(mrr_value * 1.06, 2)
    launched = (year, month) >= (2025, 4)
    months_since_launch = t - MONTHS.index((2025, 4)) if launched else -1
    new_share = min(0.075 + 0.0005 * t, 0.006 * (months_since_launch + 1)) if launched else 0.0
    new_product_revenue = round(revenue * new_share, 2)

    activity = seasonal(month, dec=0.85, aug=0.88)
    mau = round(end * 1.8 * activity)
    stickiness = (0.172 + 0.0006 * t + 0.004 * wave(t, 6)) * seasonal(month, dec=0.9, aug=0.92)
    dau = round(mau * stickiness)
    active_users = mau
    sessions = round(mau * 13.5 * activity)
    session_seconds = round(sessions * (405 + 1.5 * t + 10 * wave(t, 4)))
    actions = round(sessions * (7.1 + 0.02 * t + 0.1 * wave(t, 3)))

    survey = round(290 + 20 * wave(t, 5))
    satisfied = round(survey * (0.78 + 0.0012 * t + 0.01 * wave(t, 4, 2)))
    survey_cell = "" if period == "2026-03" else survey

    trial_users = round((410 + 4 * t) * seasonal(month, dec=0.75, jan=1.2, aug=0.85))
    onboarding = max(0, t - MONTHS.index((2025, 10)))
    trial_rate = 0.175 + 0.004 * onboarding + 0.004 * wave(t, 5, 3)
    trial_conversions = min(round(trial_users * trial_rate), new)
    deals_won = new - trial_conversions
    leads = round(deals_won / (0.047 + 0.0004 * t + 0.002 * wave(t, 6, 1)))

    lifetime = round(1 / churn, 1)
    sm_spend = round((58000 + 600 * t) * seasonal(month, dec=0.85, jan=1.3), 2)
    marketing_spend = round(sm_spend * 0.6, 2)
    marketing_revenue = round(marketing_spend * (4.0 + 0.03 * t + 0.15 * wave(t, 5)), 2)

    tickets = round(end * 0.36 * (1.1 if month == 1 else 1.0))
    escalated = round(tickets * (0.125 - 0.0015 * t + 0.005 * wave(t, 4)))
    internal = round(78 + 6 * wave(t, 3))
    by_users = round(internal * (0.14 + 0.02 * wave(t, 5, 2)))
    if period == "2026-10":
        by_users = round(internal * 0.32)

    nps_responses = round(240 + 15 * wave(t, 4))
    promoters = round(nps_responses * (0.43 + 0.002 * t))
    detractors = round(nps_responses * (0.15 - 0.0008 * t))

    # Finance's MRR budget: set each December for the next calendar year, from that month's
    # MRR grown by a planned rate a month (3.8 % for 2025; 3.2 % for 2026, after the price
    # increase), rounded to hundreds. The budget process started with 2025: none before.
    if year >= 2025:
        december = rows[MONTHS.index((year - 1, 12))]
        base = december["avg_revenue_per_account"] * december["paying_customers"]
        rate = {2025: 0.038, 2026: 0.032}[year]
        mrr_budget = round(base * (1 + rate) ** month / 100) * 100
    else:
        mrr_budget = ""

    rows.append({
        "period": period,
        "active_users": active_users,
        "automated_tests_run": round(5200 + 90 * t + 300 * wave(t, 3)),
        "avg_customer_lifetime_months": lifetime,
        "avg_revenue_per_account": arpa,
        "customers_end": end,
        "customers_lost": lost,
        "customers_start": start,
        "daily_active_users": dau,
        "deals_won": deals_won,
        "defects_found_by_users": by_users,
        "defects_found_internal": internal,
        "detractors": detractors,
        "escalated_tickets": escalated,
        "leads": leads,
        "manual_tests_run": round(340 - 4 * t + 20 * wave(t, 4)),
        "marketing_revenue": marketing_revenue,
        "marketing_spend": marketing_spend,
        "monthly_active_users": mau,
        "mrr_budget": mrr_budget,
        "new_customers": new,
        "new_product_revenue": new_product_revenue,
        "nps_responses": nps_responses,
        "paying_customers": end,
        "promoters": promoters,
        "revenue": revenue,
        "sales_marketing_spend": sm_spend,
        "satisfied_responses": satisfied,
        "sessions": sessions,
        "support_tickets": tickets,
        "survey_responses": survey_cell,
        "total_session_seconds": session_seconds,
        "trial_conversions": trial_conversions,
        "trial_users": trial_users,
        "user_actions": actions,
    })

# Consistency rules.
assert [row["period"] for row in rows if row["survey_responses"] == ""] == ["2026-03"]
assert [row["period"] for row in rows if row["mrr_budget"] == ""] == ["2024-11", "2024-12"]
assert all(v != "" for row in rows for k, v in row.items() if k not in ("survey_responses", "mrr_budget"))
for previous, row in zip(rows, rows[1:]):
    assert row["customers_start"] == previous["customers_end"], row["period"]
for row in rows:
    assert row["customers_end"] == row["customers_start"] + row["new_customers"] - row["customers_lost"]
    assert row["paying_customers"] == row["customers_end"]
    assert row["daily_active_users"] < row["monthly_active_users"]
    assert row["survey_responses"] == "" or row["satisfied_responses"] <= row["survey_responses"]
    assert row["promoters"] + row["detractors"] <= row["nps_responses"]
    assert 0 <= row["deals_won"] <= row["leads"]
    assert row["trial_conversions"] <= row["trial_users"]
    assert row["new_product_revenue"] <= row["revenue"]
    assert row["escalated_tickets"] <= row["support_tickets"]

here = os.path.dirname(os.path.abspath(__file__))

# Where each input comes from, as kpi.toml reads it. The warehouse (`warehouse.db`) holds what
# customers bought and when they left; the product's daily export (`exports/trials.csv`) holds
# the trial funnel; `data.csv` keeps the rest (finance's monthly close, customer counts,
# analytics, support, QA and surveys).
FROM_ORDERS = ["new_customers", "trial_conversions", "deals_won", "new_product_revenue"]
FROM_CANCELLATIONS = ["customers_lost"]
FROM_EXPORT = {"trial_users": "Trials ended"}
FROM_WORKBOOK = ["mrr_budget"]
MOVED = FROM_ORDERS + FROM_CANCELLATIONS + list(FROM_EXPORT) + FROM_WORKBOOK

MASK = (1 << 64) - 1


def noise(*key):
    """A number in [0, 1) fixed by a tuple of whole numbers: a 64-bit integer mix, so that
    the rows depend neither on `random` nor on the Python version."""
    h = 0x9E3779B97F4A7C15
    for k in key:
        h = ((h ^ (k & MASK)) * 0xBF58476D1CE4E5B9) & MASK
        h ^= h >> 31
        h = (h * 0x94D049BB133111EB) & MASK
        h ^= h >> 29
    return h / 2**64


def split(total, weights):
    """The whole number `total` in whole parts proportional to `weights` (largest
    remainders), summing exactly to `total`."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    parts = [math.floor(x) for x in exact]
    for i in sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))[: total - sum(parts)]:
        parts[i] += 1
    assert sum(parts) == total and min(parts) >= 0, (total, weights)
    return parts


def stamp(day, seconds):
    """`YYYY-MM-DD HH:MM:SS`, the text form of a time that SQLite's date functions read."""
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


PRICES = {"starter": 2900, "team": 4900, "business": 9900}  # first month, in cents
REASONS = ["price", "missing feature", "switched to a competitor", "no longer needed", "company closed"]

# Customers are numbered from 1; the 2,000 of November 2024 signed up before the warehouse
# was set up, so they have no first order in it.
active = list(range(1, rows[0]["customers_start"] + 1))
next_id = len(active) + 1
adopters = []  # accounts billed for Insights, in the order they adopted it
orders, cancellations, export = [], [], []
for t, ((year, month), row) in enumerate(zip(MONTHS, rows)):
    days = [datetime.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    workday = [1.0 if d.weekday() < 5 else 0.0 for d in days]

    # The trial funnel, day by day: fewer trials start and end at weekends.
    def by_day(weekend, salt):
        return [max(w, weekend) * (0.85 + 0.3 * noise(t, d.day, salt)) for w, d in zip(workday, days)]

    ended = split(row["trial_users"], by_day(0.45, 1))
    started = split(round(row["trial_users"] * 1.03), by_day(0.4, 2))
    export += [(d.isoformat(), s, e) for d, s, e in zip(days, started, ended)]

    # New customers: a trial converts on the day it ends; sales-led deals close on workdays.
    converted = split(row["trial_conversions"], ended)
    assert all(c <= e for c, e in zip(converted, ended)), row["period"]
    deals = split(row["deals_won"], [w * (0.5 + noise(t, d.day, 3)) for w, d in zip(workday, days)])
    month_orders = []
    joined = []
    for channel, per_day in (("trial", converted), ("sales", deals)):
        for day, n in zip(days, per_day):
            for _ in range(n):
                c, next_id = next_id, next_id + 1
                joined.append(c)
                r = noise(c, 4)
                if channel == "trial":
                    plan = "starter" if r < 0.5 else "team" if r < 0.85 else "business"
                    seconds = 7 * 3600 + int(noise(c, 5) * 15 * 3600)
                else:
                    plan = "team" if r < 0.4 else "business"
                    seconds = 9 * 3600 + int(noise(c, 5) * 9 * 3600)
                month_orders.append((stamp(day, seconds), c, "core", plan, channel, 1, PRICES[plan]))

    # Cancellations, among the customers of the first day of the month.
    assert len(active) == row["customers_start"], row["period"]
    leaving = sorted(active, key=lambda c: noise(c, t, 6))[: row["customers_lost"]]
    for c in leaving:
        day = days[int(noise(c, t, 7) * len(days))]
        reason = REASONS[int(noise(c, 8) ** 1.5 * len(REASONS))]
        cancellations.append((c, stamp(day, 8 * 3600 + int(noise(c, t, 9) * 12 * 3600)), reason))
    gone = set(leaving)

    # Insights, launched in April 2025, is billed on usage: one invoice a month per account
    # that uses it, on the day of the month the account signed up, in whole cents.
    if row["new_product_revenue"]:
        cents = round(row["new_product_revenue"] * 100)
        assert cents / 100 == row["new_product_revenue"], row["period"]
        adopters = [c for c in adopters if c not in gone]
        wanted = max(3, round(cents / 19000))
        taken = set(adopters)
        candidates = sorted(
            (c for c in active if c not in gone and c not in taken), key=lambda c: noise(c, 10)
        )
        adopters += candidates[: max(0, wanted - len(adopters))]
        del adopters[wanted:]
        amounts = split(cents, [0.4 + noise(c, t, 11) for c in adopters])
        for c, amount in zip(adopters, amounts):
            day = days[c % len(days)]
            month_orders.append((stamp(day, 2 * 3600 + c % 3600), c, "insights", None, "account", 0, amount))

    orders += sorted(month_orders)
    active = [c for c in active if c not in gone] + joined
    assert len(active) == row["customers_end"], row["period"]

# data.csv: every other input, one row per month.
columns = ["period"] + sorted(k for k in rows[0] if k != "period" and k not in MOVED)
with open(os.path.join(here, "data.csv"), "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)

# budget.xlsx: finance's workbook, sheet `Budget`: a month per row as a date cell shown
# `mmm-yy` (`janv.-25` in a French Excel), then the MRR budget. Written here with the standard
# library (a workbook is a zip of XML parts), with a fixed time in the zip so that the file is
# the same byte for byte on every run.
def workbook(path, sheet, header, body):
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="mmm\\-yy"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
    }
    cells = ["".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(header))]
    for day, value in body:
        serial = (day - datetime.date(1899, 12, 30)).days
        cells.append(f'<c r="A{len(cells) + 1}" s="1"><v>{serial}</v></c><c r="B{len(cells) + 1}"><v>{value}</v></c>')
    rows = "".join(f'<row r="{n}">{c}</row>' for n, c in enumerate(cells, 1))
    parts["xl/worksheets/sheet1.xml"] = f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)


budget = [
    (datetime.date(int(row["period"][:4]), int(row["period"][5:]), 1), row["mrr_budget"])
    for row in rows
    if row["mrr_budget"] != ""
]
workbook(os.path.join(here, "budget.xlsx"), "Budget", ["Mois", "mrr_budget"], budget)

# exports/trials.csv: the product's daily export, headers as the product spells them.
os.makedirs(os.path.join(here, "exports"), exist_ok=True)
with open(os.path.join(here, "exports", "trials.csv"), "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["Date", "Trials started", "Trials ended"])
    writer.writerows(export)

# exports/launch.csv: Product's monthly checklist, kept since the start: the tasks of the new
# pricing's launch plan done (12 planned, work from April 2026), `x` the month the pricing page
# went live (an empty cell is a no), and the month's major incidents.
TASKS_DONE = {"2026-04": 1, "2026-05": 2, "2026-06": 2, "2026-07": 4, "2026-08": 6, "2026-09": 7, "2026-10": 9}
MAJOR_INCIDENTS = {"2025-02": 1, "2025-09": 1, "2026-07": 1}
LAUNCH = [
    (row["period"], TASKS_DONE.get(row["period"], 0), "x" if row["period"] == "2026-10" else "",
     MAJOR_INCIDENTS.get(row["period"], 0))
    for row in rows
]
with open(os.path.join(here, "exports", "launch.csv"), "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["Month", "Pricing tasks done", "Pricing page live", "Major incidents"])
    writer.writerows(LAUNCH)

# warehouse.db: the order and cancellation tables, rewritten from scratch. Its rows are the
# same on every run; its bytes may differ with the SQLite version.
SCHEMA = """
create table orders (
    order_id     integer primary key,
    customer_id  integer not null,
    ordered_at   text    not null,  -- UTC, 'YYYY-MM-DD HH:MM:SS'
    product      text    not null,  -- 'core' (the subscription) or 'insights' (since 2025-04)
    plan         text,              -- core plans: 'starter', 'team', 'business'
    channel      text    not null,  -- 'trial', 'sales' (a deal won), 'account' (a customer's own)
    first_order  integer not null,  -- 1 on the order that made the customer a paying one
    amount_cents integer not null   -- excluding tax
);
create table cancellations (
    customer_id  integer primary key,
    cancelled_at text    not null,  -- UTC, 'YYYY-MM-DD HH:MM:SS'
    reason       text    not null
);
"""
database = os.path.join(here, "warehouse.db")
if os.path.exists(database):
    os.remove(database)
connection = sqlite3.connect(database)
connection.executescript(SCHEMA)
connection.executemany(
    "insert into orders values (?, ?, ?, ?, ?, ?, ?, ?)",
    [(i, c, at, *rest) for i, (at, c, *rest) in enumerate(orders, 1)],
)
connection.executemany(
    "insert into cancellations values (?, ?, ?)", sorted(cancellations, key=lambda x: (x[1], x[0]))
)
connection.commit()
connection.execute("vacuum")
connection.close()

# Every source gives back exactly the monthly values it replaces, computed here from the
# rows (in floating point, as kpi does), then with kpi.toml's own queries.
intended = {row["period"]: row for row in rows}


def same(period, name, value):
    assert value == intended[period][name], (period, name, value, intended[period][name])


by_month = {}
for at, c, product, plan, channel, first, amount in orders:
    month = by_month.setdefault(
        at[:7], {"new_customers": 0, "trial_conversions": 0, "deals_won": 0, "cents": 0}
    )
    month["new_customers"] += first
    month["trial_conversions"] += first and channel == "trial"
    month["deals_won"] += first and channel == "sales"
    month["cents"] += amount if product == "insights" else 0
lost = {}
for c, at, reason in cancellations:
    lost[at[:7]] = lost.get(at[:7], 0) + 1
trials = {}
for day, s, e in export:
    trials[day[:7]] = trials.get(day[:7], 0.0) + float(e)
assert sorted(by_month) == sorted(lost) == sorted(trials) == sorted(intended)
for period, month in by_month.items():
    for name in ["new_customers", "trial_conversions", "deals_won"]:
        same(period, name, month[name])
    same(period, "new_product_revenue", month["cents"] / 100)
    same(period, "customers_lost", lost[period])
    same(period, "trial_users", trials[period])
assert os.path.getsize(database) < 512 * 1024, os.path.getsize(database)

try:
    import tomllib
except ImportError:  # Python < 3.11: the queries are not checked.
    tomllib = None
if tomllib is not None:
    with open(os.path.join(here, "kpi.toml"), "rb") as f:
        config = tomllib.load(f)
    queried = []
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    for source in config["sources"]:
        if "sqlite" not in source:
            continue
        cursor = connection.execute(source["query"])
        names = [d[0] for d in cursor.description]
        assert names[0] == "period", names
        answer = cursor.fetchall()
        assert [r[0] for r in answer] == sorted(intended), names
        for r in answer:
            for name, value in zip(names[1:], r[1:]):
                same(r[0], name, value)
        queried += names[1:]
    connection.close()
    assert sorted(queried) == sorted(FROM_ORDERS + FROM_CANCELLATIONS), queried
    # Each input comes from exactly one source.
    everything = sorted(k for k in rows[0] if k != "period")
    assert sorted(columns[1:] + queried + list(FROM_EXPORT) + FROM_WORKBOOK) == everything

# October 2026, computed here from the contracted formulas.
r, p = rows[-1], rows[-2]
arpu = r["revenue"] / r["active_users"]
clv = arpu * r["avg_customer_lifetime_months"]
cac = r["sales_marketing_spend"] / r["new_customers"]
mrr = r["avg_revenue_per_account"] * r["paying_customers"]
mrr_prev = p["avg_revenue_per_account"] * p["paying_customers"]
values = {
    "customer_satisfaction": r["satisfied_responses"] / r["survey_responses"] * 100,
    "retention_rate": (r["customers_end"] - r["new_customers"]) / r["customers_start"] * 100,
    "churn_rate": r["customers_lost"] / r["customers_start"] * 100,
    "trial_conversion_rate": r["trial_conversions"] / r["trial_users"] * 100,
    "customer_lifetime_value": clv,
    "customer_acquisition_cost": cac,
    "dau_mau_ratio": r["daily_active_users"] / r["monthly_active_users"] * 100,
    "avg_session_duration": r["total_session_seconds"] / r["sessions"],
    "actions_per_session": r["user_actions"] / r["sessions"],
    "test_velocity": r["automated_tests_run"] + r["manual_tests_run"],
    "defect_detection_efficiency": r["defects_found_internal"] / (r["defects_found_internal"] + r["defects_found_by_users"]) * 100,
    "support_escalation_rate": r["escalated_tickets"] / r["support_tickets"] * 100,
    "mrr": mrr,
    "new_product_revenue_share": r["new_product_revenue"] / r["revenue"] * 100,
    "arpu": arpu,
    "nps": (r["promoters"] - r["detractors"]) / r["nps_responses"] * 100,
    "romi": (r["marketing_revenue"] - r["marketing_spend"]) / r["marketing_spend"] * 100,
    "sales_conversion_rate": r["deals_won"] / r["leads"] * 100,
    "ltv_cac_ratio": clv / cac,
    "mrr_growth": (mrr - mrr_prev) / mrr_prev * 100,
    # From the launch checklist's last row: yes/no values are 1 and 0.
    "pricing_launch_tasks": LAUNCH[-1][1],
    "pricing_page_live": 1 if LAUNCH[-1][2] == "x" else 0,
    "no_major_incident": 1 if LAUNCH[-1][3] == 0 else 0,
}


def load_targets():
    """Direction and target of every definition in force: the standard library, then the team
    folder, whose files replace a definition (with a `formula`) or change only the keys they
    give (without one), as kpi layers them."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: values only.
        return None
    in_force = {}
    for folder in (os.path.join(here, "..", "..", "metrics.d"), os.path.join(here, "metrics.d")):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".toml"):
                with open(os.path.join(folder, name), "rb") as f:
                    definition = tomllib.load(f)
                stem = name[: -len(".toml")]
                if "formula" in definition:
                    in_force[stem] = definition
                else:
                    in_force[stem] = {**in_force[stem], **definition}
    return in_force


def status(value, definition, row):
    """The status rule against the target in force in `row`'s month: the last schedule entry
    whose `from` is not after it, else the table's own value. A level named by a string is
    that input's value this month (no value: no target). On the target or better (inside a
    range, ends included), else no worse than the warning (inside the warning range), else
    off target."""
    target = definition.get("target")
    if target is None:
        return "no_target", ""
    rule = target
    for step in target.get("schedule", []):
        if step["from"] <= row["period"]:
            rule = step
    if "value" not in rule:
        return "no_target", ""
    level = lambda v: row[v] if isinstance(v, str) else v
    value_level, warning_level = level(rule["value"]), level(rule.get("warning"))
    levels = f"target {value_level}, warning {'-' if warning_level is None else warning_level}"
    if value_level == "":
        return "no_target", levels

    def meets(bound):
        if isinstance(bound, bool):  # A yes/no target: the answer that meets it.
            return (value == 1) == bound
        if isinstance(bound, list):
            return bound[0] <= value <= bound[1]
        if definition["direction"] == "higher_is_better":
            return value >= bound
        return value <= bound

    if meets(value_level):
        return "on_target", levels
    if warning_level not in (None, "") and meets(warning_level):
        return "at_risk", levels
    return "off_target", levels


definitions = load_targets()
print(f"{r['period']}: value and status of every metric")
for name, value in values.items():
    if definitions is None:
        print(f"{name:30} {value:14.4f}")
        continue
    definition = definitions[name]
    verdict, levels = status(value, definition, r)
    print(f"{name:30} {value:14.4f}  {definition['kind']:6} {verdict:10} {levels}".rstrip())
if definitions is not None:
    assert set(values) == set(definitions), set(values) ^ set(definitions)
