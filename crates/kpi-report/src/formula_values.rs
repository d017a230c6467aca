//! A formula with this month's values in place of its names, each written as the report
//! writes it: `customers_lost / customers_start * 100` becomes `48 / 2,559 * 100`.

use kpi_core::catalog::NameRef;
use kpi_core::{Evaluation, MetricIndex, MonthIndex, Unit};

use crate::format::Style;

/// The formula of metric `m` with month `t`'s values of its inputs and metrics, formatted
/// for their units (a metric with its own decimals, an input with its unit's), `?` for a
/// missing one.
pub(crate) fn substitute(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    style: &Style,
) -> String {
    let catalog = e.catalog();
    e.substitute(m, t, |reference, cell| {
        let Ok(v) = cell else {
            return "?".into();
        };
        match catalog.resolve(&reference.name) {
            Some(NameRef::Metric(i)) => {
                let metric = catalog.metric_at(i);
                style.value(*v, metric.unit, metric.decimals)
            }
            Some(NameRef::Input(i)) => {
                let unit = catalog.inputs()[i].1.unit;
                style.value(*v, unit, input_decimals(*v, unit))
            }
            None => style.number(*v, 2),
        }
    })
}

/// The digits an input's value is shown with: its unit's default, or more (up to three
/// more) when the value has a fraction that the default would round away, so that a mean
/// of counts shows `7.5` rather than `8`.
fn input_decimals(v: f64, unit: Unit) -> u8 {
    let base = unit.default_decimals();
    (base..=base + 3)
        .find(|&d| {
            let factor = 10f64.powi(i32::from(d));
            ((v * factor).round() / factor - v).abs() <= 1e-9 * v.abs().max(1.0)
        })
        .unwrap_or(base + 3)
}

#[cfg(test)]
mod tests {
    use super::input_decimals;
    use kpi_core::Unit;

    #[test]
    fn inputs_keep_the_digits_they_have() {
        assert_eq!(input_decimals(2559.0, Unit::Count), 0);
        assert_eq!(input_decimals(7.5, Unit::Count), 1);
        assert_eq!(input_decimals(1.0 / 3.0, Unit::Count), 3);
        assert_eq!(input_decimals(90480.0, Unit::Currency), 2);
        assert_eq!(input_decimals(20818.125, Unit::Currency), 3);
    }
}
