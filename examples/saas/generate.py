#!/usr/bin/env python3
"""Writes data.csv: 24 months (2024-11 to 2026-10) of invented data for Fernwood, a SaaS
company growing from 2,000 to about 3,800 customers, with every input of the standard library.

Deterministic (no randomness: small "noise" comes from fixed sine waves), standard library
only. Run it from anywhere: `python3 examples/saas/generate.py`. It checks the consistency
rules below and prints the October 2026 value of every standard and team metric, computed here
independently of `kpi` from the contracted formulas, with its status against the targets read
from the definition files (`../../metrics.d`, then this folder's `metrics.d`, which overrides;
reading them needs Python 3.11's `tomllib`, otherwise only the values are printed), so the
story the data tells can be checked by hand.

Consistency rules (asserted below): each month's `customers_start` is the previous month's
`customers_end`; `customers_end = customers_start + new_customers - customers_lost`;
`paying_customers == customers_end`; `daily_active_users < monthly_active_users`;
`satisfied_responses <= survey_responses`; `promoters + detractors <= nps_responses`;
`deals_won <= leads`; `trial_conversions <= trial_users`; `new_product_revenue <= revenue`;
`escalated_tickets <= support_tickets`; only 2026-03 has an empty cell.

The story:
- growth: 2,000 customers at the start of November 2024, about 3,800 two years later;
- seasonality: fewer sign-ups and less activity in December and August, a January spike in
  sign-ups, marketing spend and cancellations (annual budgets and renewals);
- a price increase in September 2025 (average revenue per account +3);
- a new product launched in April 2025 whose revenue share ramps up;
- trial conversion improving since an onboarding redesign in October 2025;
- the satisfaction survey tool was down in March 2026: `survey_responses` is empty that month;
- a bad release in October 2026: many defects reported by users.
"""

import csv
import math
import os

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
assert [row["period"] for row in rows if "" in row.values()] == ["2026-03"]
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
columns = ["period"] + sorted(k for k in rows[0] if k != "period")
with open(os.path.join(here, "data.csv"), "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)

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
}


def load_targets():
    """Direction and target of every definition in force, the team folder overriding."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: values only.
        return None
    in_force = {}
    for folder in (os.path.join(here, "..", "..", "metrics.d"), os.path.join(here, "metrics.d")):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".toml"):
                with open(os.path.join(folder, name), "rb") as f:
                    in_force[name[: -len(".toml")]] = tomllib.load(f)
    return in_force


def status(value, definition):
    """The status rule: on the target or better, else no worse than the warning, else off."""
    target = definition.get("target")
    if target is None:
        return "no_target"
    better = (lambda a, b: a >= b) if definition["direction"] == "higher_is_better" else (lambda a, b: a <= b)
    if better(value, target["value"]):
        return "on_target"
    if "warning" in target and better(value, target["warning"]):
        return "at_risk"
    return "off_target"


definitions = load_targets()
print(f"{r['period']}: value and status of every metric")
for name, value in values.items():
    if definitions is None:
        print(f"{name:30} {value:14.4f}")
        continue
    definition = definitions[name]
    target = definition.get("target", {})
    levels = f"target {target['value']}, warning {target.get('warning', '-')}" if target else ""
    print(f"{name:30} {value:14.4f}  {definition['kind']:6} {status(value, definition):10} {levels}".rstrip())
if definitions is not None:
    assert set(values) == set(definitions), set(values) ^ set(definitions)
