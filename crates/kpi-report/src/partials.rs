//! Checks of the partials templates call, before anything is rendered.
//!
//! Handlebars renders partials recursively and refuses only a template that calls itself
//! directly: two overrides that call each other would overflow the stack and abort the
//! process. So the calls (`{{> name}}`, `{{#> name}}`) are read from each template's text,
//! and a loop among them, or a partial chosen at render time (`{{> (expr)}}`, which cannot be
//! checked), is refused with the template, line and column.

use std::collections::BTreeMap;

use crate::error::ReportError;
use crate::templates::Template;

/// A partial call: the name called and where.
struct Call {
    name: String,
    line: usize,
    column: usize,
}

/// The partials `source` calls, or the place of a dynamic one.
fn calls(source: &str) -> Result<Vec<Call>, (usize, usize)> {
    let mut out = Vec::new();
    for (line_index, line) in source.lines().enumerate() {
        let mut rest = line;
        let mut offset = 0;
        while let Some(at) = rest.find("{{") {
            let open = offset + at;
            let after = rest[at + 2..].trim_start_matches('~');
            let after = after.strip_prefix('#').unwrap_or(after);
            if let Some(call) = after.strip_prefix('>') {
                let call = call.trim_start();
                let column = line[..open].chars().count() + 1;
                if call.starts_with('(') {
                    return Err((line_index + 1, column));
                }
                let name: String = call
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '}' && *c != '~')
                    .collect();
                let name = name.trim_matches(|c| c == '"' || c == '\'').to_string();
                out.push(Call {
                    name,
                    line: line_index + 1,
                    column,
                });
            }
            offset = open + 2;
            rest = &line[offset..];
        }
    }
    Ok(out)
}

/// Refuses dynamic partials and loops of partial calls among `used`.
pub(crate) fn check(used: &[&Template]) -> Result<(), ReportError> {
    let mut graph: BTreeMap<&str, (&Template, Vec<Call>)> = BTreeMap::new();
    for template in used {
        let found = calls(&template.source).map_err(|(line, column)| ReportError::Syntax {
            template: template.origin(),
            line: Some(line),
            column: Some(column),
            message: "partials chosen at render time (`{{> (…)}}`) are not supported: call a partial by its name".into(),
        })?;
        graph.insert(template.registered_name(), (template, found));
    }
    // Depth-first search with an explicit stack: `path` is the chain of calls being followed.
    let mut done: Vec<&str> = Vec::new();
    for &start in graph.keys() {
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some(&mut (name, ref mut next)) = path.last_mut() {
            let (template, calls) = &graph[name];
            let Some(call) = calls.get(*next) else {
                done.push(name);
                path.pop();
                continue;
            };
            *next += 1;
            let Some((callee, _)) = graph.get_key_value(call.name.as_str()) else {
                continue;
            };
            if let Some(from) = path.iter().position(|(n, _)| n == callee) {
                let mut cycle: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                cycle.push(callee);
                return Err(ReportError::Syntax {
                    template: template.origin(),
                    line: Some(call.line),
                    column: Some(call.column),
                    message: format!("partials call each other in a loop: {}", cycle.join(" → ")),
                });
            }
            if !done.contains(callee) {
                path.push((callee, 0));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, source: &str) -> Template {
        Template {
            name: name.to_string(),
            source: source.to_string(),
            path: None,
        }
    }

    #[test]
    fn finds_calls() {
        let found = calls("a {{> row.md}} b\n  {{#> details.md x=1}}{{/details.md}} {{~> \"q\" }}")
            .unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|c| (c.name.as_str(), c.line, c.column))
            .collect();
        assert_eq!(
            names,
            [("row.md", 1, 3), ("details.md", 2, 3), ("q", 2, 40)]
        );
        assert_eq!(calls("x\n {{> (lookup . \"p\")}}").err(), Some((2, 2)));
    }

    #[test]
    fn refuses_loops() {
        let a = template("a.md.hbs", "{{> b.md}}");
        let b = template("b.md.hbs", "x\n{{> c.md}}");
        let c = template("c.md.hbs", "{{> a.md}}");
        let err = check(&[&a, &b, &c]).unwrap_err().to_string();
        assert_eq!(
            err,
            "c.md.hbs:1:1: invalid template: partials call each other in a loop: a.md → b.md → c.md → a.md"
        );
        let d = template("d.md.hbs", "{{> b.md}} {{> b.md}}");
        let b2 = template("b.md.hbs", "leaf");
        assert!(check(&[&d, &b2]).is_ok());
    }
}
