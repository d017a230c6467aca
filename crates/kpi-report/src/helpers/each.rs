//! `{{#each}}` that turns a report's rows into JSON one at a time, as it renders them.
//!
//! Handlebars renders from a JSON copy of its data. A report's rows are almost all of it (a
//! 100 000-metric report is gigabytes of JSON), so the copy holds each family's rows as
//! placeholders ([`stubs`]: `{"\u{0}row": 17}`, the 18th row of the report) and this helper,
//! given the report's rows, serialises a row when an `{{#each rows}}` reaches it and drops it
//! once that row is rendered: the JSON a render holds stays one row, whatever the report's
//! size. Templates see no difference in `{{#each}}`, `@index`, `@first`, `@last`, `this`,
//! `../`, `@root` and `as |row i|`. A report whose rows are built as they are rendered holds
//! one placeholder per family instead, for its run of rows ([`run_of_stubs`]).
//!
//! For any other list or object it does what Handlebars' own `each` does (this follows
//! `handlebars` 6's `helper_each.rs`, MIT licence, through its public interface), so that the
//! one `each` a registry has behaves the same everywhere.

use handlebars::{
    BlockContext, BlockParams, Context, Handlebars, Helper, HelperDef, HelperResult, JsonValue,
    Output, PathAndJson, RenderContext, RenderError, RenderErrorReason, Renderable, to_json,
};
use serde::Serialize;
use serde::ser::SerializeSeq;

/// The one key of a row's placeholder: a template cannot name it (it starts with a NUL).
const ROW: &str = "\u{0}row";

/// Serialises a placeholder for each of the rows `numbers` names, in order.
pub(crate) fn stubs<S: serde::Serializer>(
    numbers: impl Iterator<Item = usize>,
    len: usize,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Stub {
        #[serde(rename = "\u{0}row")]
        row: usize,
    }
    let mut seq = serializer.serialize_seq(Some(len))?;
    for row in numbers {
        seq.serialize_element(&Stub { row })?;
    }
    seq.end()
}

/// The one key of the placeholder of a run of rows (a report built as it is rendered).
const ROWS: &str = "\u{0}rows";

/// Serialises one placeholder for the `count` rows numbered from `first` (`count` > 0):
/// `{"\u{0}rows": [first, count]}`. A family of a report whose rows are built as they are
/// rendered names its rows this way, a few bytes for the family rather than an object per
/// row (630 bytes each in `serde_json`'s maps); an `{{#each}}` over it renders the rows as
/// it would over their placeholders, which is all a template does with a family's rows.
pub(crate) fn run_of_stubs<S: serde::Serializer>(
    first: usize,
    count: usize,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Run {
        #[serde(rename = "\u{0}rows")]
        rows: [usize; 2],
    }
    Run {
        rows: [first, count],
    }
    .serialize(serializer)
}

/// The rows a placeholder of a run of rows stands for, in order.
pub(crate) fn run_of(value: &JsonValue) -> Option<std::ops::Range<usize>> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let run = object.get(ROWS)?.as_array()?;
    let number = |i: usize| usize::try_from(run.get(i)?.as_u64()?).ok();
    let (first, count) = (number(0)?, number(1)?);
    let end = first.checked_add(count)?;
    (run.len() == 2 && count > 0).then_some(first..end)
}

/// The rows a list of placeholders, or a placeholder of a run of rows, stands for.
pub(crate) fn rows_of(value: &JsonValue) -> Option<Vec<usize>> {
    match value {
        JsonValue::Array(list) if !list.is_empty() => list.iter().map(stub).collect(),
        JsonValue::Object(_) => run_of(value).map(Iterator::collect),
        _ => None,
    }
}

/// The row a placeholder stands for.
pub(crate) fn stub(value: &JsonValue) -> Option<usize> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    usize::try_from(object.get(ROW)?.as_u64()?).ok()
}

/// A row's fields as JSON, by its number (only those the second argument names, when it
/// names some); none past the last row.
pub(crate) type RowJson<'a> = dyn Fn(usize, Option<&[String]>) -> Option<Result<JsonValue, serde_json::Error>>
    + Send
    + Sync
    + 'a;

/// `each`, with the report's rows, by number in render order (KPIs then metrics, family by
/// family).
pub(crate) struct Each<'a> {
    pub(crate) rows: Box<RowJson<'a>>,
}

impl HelperDef for Each<'_> {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let value = h
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("each", 0))?;
        let Some(template) = h.template() else {
            return Ok(());
        };
        if let Some(rows) = rows_of(value.value()) {
            return self.rows(&rows, h, template, r, ctx, rc, out);
        }
        match value.value() {
            JsonValue::Array(list) if !list.is_empty() || h.inverse().is_none() => {
                rc.push_block(block(value));
                let path = value.context_path();
                let len = list.len();
                for (i, v) in list.iter().enumerate() {
                    if let Some(block) = rc.block_mut() {
                        let index = to_json(i);
                        locals(block, i, len);
                        block.set_local_var("index", index.clone());
                        place(block, path, i.to_string(), i == 0, v);
                        params(block, h, path, &index, v)?;
                    }
                    template.render(r, ctx, rc, out)?;
                }
                rc.pop_block();
                Ok(())
            }
            JsonValue::Object(object) if !object.is_empty() || h.inverse().is_none() => {
                rc.push_block(block(value));
                let path = value.context_path();
                let len = object.len();
                for (i, (k, v)) in object.iter().enumerate() {
                    if let Some(block) = rc.block_mut() {
                        let key = to_json(k);
                        locals(block, i, len);
                        block.set_local_var("key", key.clone());
                        block.set_local_var("index", to_json(i));
                        place(block, path, k.to_string(), i == 0, v);
                        params(block, h, path, &key, v)?;
                    }
                    template.render(r, ctx, rc, out)?;
                }
                rc.pop_block();
                Ok(())
            }
            _ => match h.inverse() {
                Some(inverse) => inverse.render(r, ctx, rc, out),
                None if r.strict_mode() => Err(RenderError::strict_error(value.relative_path())),
                None => Ok(()),
            },
        }
    }
}

impl Each<'_> {
    /// Renders `template` once per row of `rows`, each serialised only for its turn.
    #[allow(clippy::too_many_arguments)] // `HelperDef::call`'s own, plus the rows.
    fn rows<'reg: 'rc, 'rc>(
        &self,
        rows: &[usize],
        h: &Helper<'rc>,
        template: &'rc handlebars::Template,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        rc.push_block(BlockContext::new());
        for (i, &n) in rows.iter().enumerate() {
            let json = (self.rows)(n, None)
                .ok_or_else(|| RenderErrorReason::Other(format!("the report has no row {n}")))?
                .map_err(|e| RenderErrorReason::Other(format!("a row did not serialise: {e}")))?;
            if let Some(block) = rc.block_mut() {
                let index = to_json(i);
                locals(block, i, rows.len());
                block.set_local_var("index", index.clone());
                params(block, h, None, &index, &json)?;
                block.set_base_value(json);
            }
            template.render(r, ctx, rc, out)?;
        }
        rc.pop_block();
        Ok(())
    }
}

/// The block an `each` opens: on the list's path in the data, or on a copy of the list when it
/// has no path (a literal, a helper's result).
fn block<'rc>(value: &PathAndJson<'rc>) -> BlockContext<'rc> {
    let mut block = BlockContext::new();
    match value.context_path() {
        Some(path) => block.base_path_mut().clone_from(path),
        None => block.set_base_value(value.value().clone()),
    }
    block
}

/// `@first` and `@last`.
fn locals(block: &mut BlockContext<'_>, i: usize, len: usize) {
    block.set_local_var("first", to_json(i == 0));
    block.set_local_var("last", to_json(i + 1 == len));
}

/// Points the block at item `key`: its path under the list's, or a copy of it.
fn place(
    block: &mut BlockContext<'_>,
    path: Option<&Vec<String>>,
    key: String,
    first: bool,
    value: &JsonValue,
) {
    match path {
        Some(path) if first => {
            let mut item = path.clone();
            item.push(key);
            *block.base_path_mut() = item;
        }
        Some(_) => {
            if let Some(last) = block.base_path_mut().last_mut() {
                *last = key;
            }
        }
        None => block.set_base_value(value.clone()),
    }
}

/// `as |item key|`: the block parameters, when the template names them.
fn params<'rc>(
    block: &mut BlockContext<'rc>,
    h: &Helper<'rc>,
    path: Option<&Vec<String>>,
    key: &JsonValue,
    value: &JsonValue,
) -> Result<(), RenderError> {
    let (item, key_name) = match (h.block_param(), h.block_param_pair()) {
        (Some(item), _) => (item, None),
        (None, Some((item, key_name))) => (item, Some(key_name)),
        (None, None) => return Ok(()),
    };
    let mut params = BlockParams::new();
    if path.is_some() {
        params.add_path(item, Vec::new())?;
    } else {
        params.add_value(item, value.clone())?;
    }
    if let Some(key_name) = key_name {
        params.add_value(key_name, key.clone())?;
    }
    block.set_block_params(params);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Each, stubs};
    use handlebars::Handlebars;
    use serde::Serialize;
    use serde_json::json;

    /// Renders `template` over `data` with Handlebars' own `each` and with this one.
    fn both(template: &str, data: &serde_json::Value) -> (String, String) {
        let mut builtin = Handlebars::new();
        builtin.set_strict_mode(true);
        let mut ours = builtin.clone();
        ours.register_helper(
            "each",
            Box::new(Each {
                rows: Box::new(|_, _| None),
            }),
        );
        let render = |hbs: &Handlebars<'_>| {
            hbs.render_template(template, data)
                .unwrap_or_else(|e| format!("error: {}", e.reason()))
        };
        (render(&builtin), render(&ours))
    }

    #[test]
    fn any_other_list_is_walked_as_handlebars_does() {
        let data = json!({
            "list": [{"a": 1, "b": [true, false]}, {"a": 2, "b": []}, {"a": 3, "b": [null]}],
            "object": {"x": {"a": 1}, "y": {"a": 2}},
            "empty": [],
            "nothing": {},
            "top": "T",
        });
        for template in [
            "{{#each list}}{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}{{a}}{{../top}}{{@root.top}};{{/each}}",
            "{{#each list}}{{#each b}}[{{@../index}}.{{@index}}={{this}}]{{else}}none{{/each}}{{/each}}",
            "{{#each list as |item i|}}{{i}}:{{item.a}},{{/each}}",
            "{{#each list as |item|}}{{item.a}}{{/each}}",
            "{{#each object}}{{@key}}{{@index}}{{a}}{{#if @last}}!{{/if}}{{/each}}",
            "{{#each object as |v k|}}{{k}}={{v.a}} {{/each}}",
            "{{#each empty}}x{{else}}empty{{/each}}|{{#each nothing}}x{{else}}nothing{{/each}}|{{#each empty}}x{{/each}}.",
            "{{#each top}}x{{else}}not a list{{/each}}",
            "{{#each missing}}x{{/each}}",
            "{{#each list}}{{this.a}}{{/each}}",
        ] {
            let (builtin, ours) = both(template, &data);
            assert_eq!(ours, builtin, "{template}");
        }
    }

    #[derive(Serialize)]
    struct Model {
        title: &'static str,
        #[serde(serialize_with = "two_from_one")]
        rows: (),
    }

    fn two_from_one<S: serde::Serializer>(_: &(), s: S) -> Result<S::Ok, S::Error> {
        stubs([1, 2].into_iter(), 2, s)
    }

    /// Rows stand in the JSON as placeholders and are read, one at a time, from the rows the
    /// helper is given: the second and third rows here, with their place among the two.
    #[test]
    fn placeholders_render_as_the_rows_they_stand_for() {
        let rows: Vec<serde_json::Value> =
            ["a", "b", "c"].iter().map(|id| json!({"id": id})).collect();
        let mut hbs = Handlebars::new();
        hbs.set_strict_mode(true);
        hbs.register_helper(
            "each",
            Box::new(Each {
                rows: Box::new(|n, _| rows.get(n).cloned().map(Ok)),
            }),
        );
        let template = "{{#each rows as |r i|}}{{@index}}{{i}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{id}}={{r.id}} {{@root.title}}\n{{/each}}";
        let text = hbs
            .render_template(
                template,
                &Model {
                    title: "T",
                    rows: (),
                },
            )
            .expect("renders");
        assert_eq!(text, "00F b=b T\n11L c=c T\n");
    }
}
