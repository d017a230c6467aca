//! Checks of the partials templates call, before anything is rendered.
//!
//! Handlebars renders partials recursively and refuses only a template that calls itself
//! directly: two overrides that call each other would overflow the stack and abort the
//! process. So the calls (`{{> name}}`, `{{#> name}}`) are read from each template as
//! Handlebars itself parsed it (its elements, nested blocks included), never from the text,
//! which misses a call split across lines; a loop among them, or a partial chosen at render
//! time (`{{> (expr)}}`, which cannot be checked), is refused with the template, line and
//! column.

use std::collections::BTreeMap;

use handlebars::template::{Parameter, Template as Compiled, TemplateElement};

use crate::error::ReportError;
use crate::templates::Template;

/// A partial call: the name called and where.
#[derive(Debug)]
struct Call {
    name: String,
    line: usize,
    column: usize,
}

/// What one template (or one inline partial's body) holds: the partials it calls, in the order
/// they appear, and the inline partials it defines (`{{#*inline "name"}}…{{/inline}}`), whose
/// bodies' calls are the inline partial's own, not the template's.
struct Found<'a> {
    calls: Vec<Call>,
    inlines: Vec<(String, &'a Compiled)>,
}

/// The name of the inline partial a decorator block defines, when it is one.
fn inline_name(block: &handlebars::template::DecoratorTemplate) -> Option<String> {
    if block.name.as_name() != Some("inline") {
        return None;
    }
    match block.params.first()? {
        Parameter::Literal(value) => value.as_str().map(str::to_string),
        _ => None,
    }
}

/// The partials `compiled` calls and the inline partials it defines, or the place of a
/// dynamic call.
///
/// Blocks nest templates inside elements; they are walked with an explicit stack, so that a
/// deeply nested template cannot overflow ours.
fn calls(compiled: &Compiled) -> Result<Found<'_>, (usize, usize)> {
    let mut out = Vec::new();
    let mut inlines = Vec::new();
    let mut stack = vec![compiled];
    while let Some(template) = stack.pop() {
        for (i, element) in template.elements.iter().enumerate() {
            let (line, column) = template.mapping.get(i).map_or((0, 0), |m| (m.0, m.1));
            let (called, nested): (Option<&Parameter>, [Option<&Compiled>; 2]) = match element {
                TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                    (Some(&d.name), [d.template.as_ref(), None])
                }
                TemplateElement::DecoratorBlock(d) => match (inline_name(d), d.template.as_ref()) {
                    (Some(name), Some(body)) => {
                        inlines.push((name, body));
                        (None, [None, None])
                    }
                    _ => (None, [d.template.as_ref(), None]),
                },
                TemplateElement::HelperBlock(h) => {
                    (None, [h.template.as_ref(), h.inverse.as_ref()])
                }
                _ => (None, [None, None]),
            };
            if let Some(called) = called {
                // As Handlebars names the partial when it renders (`expand_as_name`).
                let name = match called {
                    Parameter::Literal(value) => value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string),
                    Parameter::Subexpression(_) => return Err((line, column)),
                    name => name.as_name().unwrap_or_default().to_string(),
                };
                out.push(Call { name, line, column });
            }
            stack.extend(nested.into_iter().flatten());
        }
    }
    // The stack visits nested blocks out of order: report calls as they appear.
    out.sort_by_key(|c| (c.line, c.column));
    Ok(Found {
        calls: out,
        inlines,
    })
}

/// The refusal of a partial chosen at render time, at `line` and `column` of `template`.
fn dynamic(template: &Template, (line, column): (usize, usize)) -> ReportError {
    ReportError::Syntax {
        template: template.origin(),
        line: Some(line),
        column: Some(column),
        message: "partials chosen at render time (`{{> (…)}}`) are not supported: call a partial by its name".into(),
    }
}

/// The names of the partials `compiled` may call, its inline partials' calls included, so
/// that the renderer parses only the templates a report reaches. A dynamic call is skipped
/// here: [`check`] refuses it.
pub(crate) fn called(compiled: &Compiled) -> Vec<String> {
    let mut names = Vec::new();
    let mut bodies = vec![compiled];
    while let Some(body) = bodies.pop() {
        if let Ok(found) = calls(body) {
            names.extend(found.calls.into_iter().map(|c| c.name));
            bodies.extend(found.inlines.into_iter().map(|(_, b)| b));
        }
    }
    names
}

/// Refuses dynamic partials and loops of partial calls among `used`, whose compiled form
/// `compiled` gives by registered name.
pub(crate) fn check<'a>(
    used: &[&Template],
    compiled: impl Fn(&str) -> Option<&'a Compiled>,
) -> Result<(), ReportError> {
    // Every partial that can be called, by name: the templates, and the inline partials they
    // define (a call to an inline partial inside its own body would recurse without end, as
    // would two templates calling each other). An inline partial of a template's name adds
    // its calls to the template's: a loop through either is refused.
    let mut graph: BTreeMap<String, (&Template, Vec<Call>)> = BTreeMap::new();
    for template in used {
        let Some(parsed) = compiled(template.registered_name()) else {
            continue;
        };
        let found = calls(parsed).map_err(|place| dynamic(template, place))?;
        let mut inlines = found.inlines;
        graph
            .entry(template.registered_name().to_string())
            .or_insert_with(|| (template, Vec::new()))
            .1
            .extend(found.calls);
        while let Some((name, body)) = inlines.pop() {
            let found = calls(body).map_err(|place| dynamic(template, place))?;
            inlines.extend(found.inlines);
            graph
                .entry(name)
                .or_insert_with(|| (template, Vec::new()))
                .1
                .extend(found.calls);
        }
    }
    // Depth-first search with an explicit stack: `path` is the chain of calls being followed.
    let mut done: Vec<&str> = Vec::new();
    for start in graph.keys().map(String::as_str) {
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
            let callee = callee.as_str();
            if let Some(from) = path.iter().position(|(n, _)| *n == callee) {
                let mut cycle: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                cycle.push(callee);
                return Err(ReportError::Syntax {
                    template: template.origin(),
                    line: Some(call.line),
                    column: Some(call.column),
                    message: format!("partials call each other in a loop: {}", cycle.join(" → ")),
                });
            }
            if !done.contains(&callee) {
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

    fn compile(source: &str) -> Compiled {
        Compiled::compile(source).expect("the template compiles")
    }

    /// Checks `templates` as the renderer does, each compiled by Handlebars.
    fn check_all(templates: &[&Template]) -> Result<(), ReportError> {
        let compiled: Vec<(String, Compiled)> = templates
            .iter()
            .map(|t| (t.registered_name().to_string(), compile(&t.source)))
            .collect();
        check(templates, |name| {
            compiled.iter().find(|(n, _)| n == name).map(|(_, c)| c)
        })
    }

    #[test]
    fn finds_calls() {
        let compiled = compile(
            "a {{> row.md}} b\n  {{#> details.md x=1}}{{/details.md}} {{~> q }}\n{{#if x}}{{else}}{{>\n  inner.md}}{{/if}}",
        );
        let found = calls(&compiled).unwrap();
        let names: Vec<_> = found
            .calls
            .iter()
            .map(|c| (c.name.as_str(), c.line, c.column))
            .collect();
        assert_eq!(
            names,
            [
                ("row.md", 1, 3),
                ("details.md", 2, 3),
                ("q", 2, 40),
                ("inner.md", 3, 18)
            ]
        );
        assert_eq!(
            calls(&compile("x\n {{> (lookup this \"p\")}}")).err(),
            Some((2, 2))
        );
    }

    #[test]
    fn refuses_loops() {
        let a = template("a.md.hbs", "{{> b.md}}");
        let b = template("b.md.hbs", "x\n{{> c.md}}");
        let c = template("c.md.hbs", "{{> a.md}}");
        let err = check_all(&[&a, &b, &c]).unwrap_err().to_string();
        assert_eq!(
            err,
            "c.md.hbs:1:1: invalid template: partials call each other in a loop: a.md → b.md → c.md → a.md"
        );
        let d = template("d.md.hbs", "{{> b.md}} {{> b.md}}");
        let b2 = template("b.md.hbs", "leaf");
        assert!(check_all(&[&d, &b2]).is_ok());
    }

    #[test]
    fn an_inline_partial_that_calls_itself_is_refused() {
        let a = template("a.md.hbs", "{{#*inline \"x\"}}\n{{> x}}{{/inline}}{{> x}}");
        let err = check_all(&[&a]).unwrap_err().to_string();
        assert_eq!(
            err,
            "a.md.hbs:2:1: invalid template: partials call each other in a loop: x → x"
        );
        // Through another inline partial, and from a nested block.
        let b = template(
            "b.md.hbs",
            "{{#*inline \"p\"}}{{#if y}}{{> q}}{{/if}}{{/inline}}{{#*inline \"q\"}}{{> p}}{{/inline}}{{> p}}",
        );
        assert!(
            check_all(&[&b])
                .unwrap_err()
                .to_string()
                .contains("p → q → p")
        );
        // An inline partial that calls a template is fine.
        let c = template(
            "c.md.hbs",
            "{{#*inline \"x\"}}{{> leaf.md}}{{/inline}}{{> x}}",
        );
        let leaf = template("leaf.md.hbs", "leaf");
        assert!(check_all(&[&c, &leaf]).is_ok());
    }

    #[test]
    fn refuses_loops_written_across_lines() {
        let row = template("row.md.hbs", "{{>\nrow2.md}}");
        let row2 = template(
            "row2.md.hbs",
            "{{#each x}}\n  {{#>\n    row.md }}{{/row.md}}{{/each}}",
        );
        let err = check_all(&[&row, &row2]).unwrap_err().to_string();
        assert_eq!(
            err,
            "row2.md.hbs:2:3: invalid template: partials call each other in a loop: row.md → row2.md → row.md"
        );
    }
}
