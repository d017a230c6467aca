//! Rendering parsed templates directly, for the part of Handlebars the built-in templates use.
//!
//! Handlebars renders each `{{> row.html}}` on a fresh copy of its context, looks every path
//! up through its block stack, and calls every `{{#if}}` as a boxed helper with its parameters
//! cloned into a vector: at 10 000 metrics that was half of `kpi report`'s time, for a
//! template language the built-in templates use a small part of (`{{value}}`, `{{{value}}}`,
//! `#if`, `#unless`, `#each`, `else`, `{{> partial}}`, `lookup`, `code`, paths with `this`,
//! `../`, `@root`, `@index`, `@first`, `@last`, `@key`).
//!
//! [`Direct`] is a translation of the templates as Handlebars' own parser made them (so
//! whitespace control and standalone lines are exactly as Handlebars would render them),
//! rendered over borrowed JSON: no copy per partial, no helper calls, a report's rows
//! serialised one at a time as [`crate::helpers::Each`] does, and rendered on every thread.
//! The built-in templates' translation is made once, kept in `direct/builtin.json` and read
//! at start-up ([`Direct::builtin`]). It is used only when no override holds `{{` (an
//! override of plain text, such as a style sheet, takes its template's place); otherwise
//! Handlebars renders the report, as before, with its error messages. A test renders
//! thousands of random templates of that part over random data both ways and compares the
//! bytes and the errors.

use std::borrow::Cow;
use std::io::Write;

use handlebars::Path;
use handlebars::template::{HelperTemplate, Parameter, Template as Compiled, TemplateElement};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ReportError;
use crate::helpers::{RowJson, rows_of};
use kpi_core::in_order::in_order;

/// How a `{{value}}` is escaped: the registry's escape function, as Handlebars calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Escape {
    /// Handlebars' default: `<>"&'`=` as entities.
    Html,
    /// [`crate::escape::markdown`]; with it the `code` helper is registered.
    Markdown,
}

/// The helpers a Handlebars registry of ours knows: a `{{name}}` that is one of them calls the
/// helper rather than printing a field, so such a template is left to Handlebars.
const HELPERS: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len", "code",
];

/// Templates of one report, translated from Handlebars' parse into what this renders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Direct {
    /// Each template's nodes, by index; `entry` is where a report starts.
    templates: Vec<Vec<Node>>,
    /// Each template's name as errors give it (its origin).
    origins: Vec<String>,
    entry: usize,
    escape: Escape,
}

/// Where a node stands, for errors: the template (an index) and its line and column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct At {
    template: usize,
    line: usize,
    column: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Node {
    Text(Box<str>),
    /// `{{path}}`, or `{{{path}}}` when `raw`.
    Value {
        path: DataPath,
        raw: bool,
        at: At,
    },
    /// `{{lookup map key}}`.
    Lookup {
        map: DataPath,
        key: DataPath,
        raw: bool,
        at: At,
    },
    /// `{{code path}}` (Markdown only): a code span, never escaped again.
    Code {
        path: DataPath,
        at: At,
    },
    /// `{{#if path}}` (or `#unless`, not `positive`), with its `{{else}}`.
    If {
        path: DataPath,
        positive: bool,
        then: Vec<Node>,
        otherwise: Vec<Node>,
        at: At,
    },
    /// `{{#each path}}`, with its `{{else}}` when it has one.
    Each {
        path: DataPath,
        body: Vec<Node>,
        otherwise: Option<Vec<Node>>,
        at: At,
    },
    /// `{{> name}}`: the template of that index.
    Partial(usize),
}

/// A path in the data, as Handlebars resolves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum DataPath {
    /// Field names from the current block (`this` is none), `up` blocks above it, or the root.
    Field {
        root: bool,
        up: usize,
        names: Vec<String>,
        raw: String,
    },
    /// `@index`, `@first`, `@last` or `@key` of the block `up` above.
    Local { up: usize, name: Local, raw: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Local {
    Index,
    First,
    Last,
    Key,
}

impl DataPath {
    fn raw(&self) -> &str {
        match self {
            DataPath::Field { raw, .. } | DataPath::Local { raw, .. } => raw,
        }
    }
}

/// One block of the render: the value paths start from, the block it is in, and the loop
/// variables of the `{{#each}}` that opened it (a partial's block inherits them, as in
/// Handlebars).
struct Scope<'s> {
    value: &'s Value,
    parent: Option<&'s Scope<'s>>,
    locals: Option<Locals<'s>>,
}

impl Scope<'_> {
    /// How many blocks there are, this one and those it is in.
    fn chain(&self) -> usize {
        let mut count = 1;
        let mut block = self;
        while let Some(parent) = block.parent {
            count += 1;
            block = parent;
        }
        count
    }
}

/// A `{{#each}}` over the report's rows: its body, its number of rows, where it stands, and
/// the fields of a row its body reads (`None`: maybe all).
struct Loop<'b> {
    body: &'b [Node],
    len: usize,
    at: At,
    fields: Option<&'b [String]>,
}

#[derive(Clone, Copy)]
struct Locals<'s> {
    index: usize,
    len: usize,
    key: Option<&'s str>,
}

impl Direct {
    /// Translates `templates` (name, parsed template, origin; the entry's name is `entry`),
    /// or says `None` when any of them uses something outside the part this renders.
    pub(crate) fn new(
        templates: &[(&str, &Compiled, String)],
        entry: &str,
        escape: Escape,
    ) -> Option<Direct> {
        let names: Vec<&str> = templates.iter().map(|(name, _, _)| *name).collect();
        let mut translated = Vec::with_capacity(templates.len());
        for (index, (_, compiled, _)) in templates.iter().enumerate() {
            let translator = Translator {
                names: &names,
                template: index,
                escape,
            };
            let start = At {
                template: index,
                line: 1,
                column: 1,
            };
            translated.push(translator.nodes(compiled, start)?);
        }
        Some(Direct {
            templates: translated,
            origins: templates.iter().map(|(_, _, o)| o.clone()).collect(),
            entry: names.iter().position(|n| *n == entry)?,
            escape,
        })
    }

    /// The built-in templates of a format (line `line` + 1 of `direct/builtin.json`, whose
    /// first line is the templates' fingerprint), as [`Direct::new`] translates them, read
    /// rather than parsed: Handlebars' parser costs time in the square of a template's length,
    /// and every `kpi report` would pay it before writing a byte. `None` when the file was
    /// made from other templates than these (a template changed without `KPI_UPDATE_DIRECT=1`,
    /// which a test also catches): the report is then parsed and rendered as before.
    pub(crate) fn builtin(line: usize) -> Option<Direct> {
        Self::read(crate::templates::BUILTIN_TRANSLATED, line)
    }

    /// Format `line` of a translation file's `text` (see [`Direct::builtin`]).
    fn read(text: &str, line: usize) -> Option<Direct> {
        let mut lines = text.lines();
        let recorded = serde_json::from_str::<String>(lines.next()?).ok()?;
        if recorded != crate::templates::builtin_fingerprint() {
            return None;
        }
        let direct: Direct = serde_json::from_str(lines.nth(line)?).ok()?;
        direct.is_whole().then_some(direct)
    }

    /// The fields of a row that `body`, rendered for each row inside `chain` blocks, reads:
    /// the first name of every path that resolves to the row (through partials, `../` from a
    /// loop inside it, conditions), so that the row can be serialised without the others;
    /// and for each, its first two names joined by a dot (`details.chart`), or its name and
    /// `.*` when the path reads the field whole (`details.*`), so that the row can be built
    /// without the parts no path reaches (no field of a row holds a dot).
    /// `None` when the body may read the row whole (`{{this}}`, `{{#each this}}`), or partials
    /// nest deeper than any template set should.
    fn row_fields(&self, body: &[Node], chain: usize) -> Option<Vec<String>> {
        // For each block from the first to the body's: whether its value is the row.
        let mut blocks = vec![false; chain];
        blocks.push(true);
        let mut fields = std::collections::BTreeSet::new();
        self.reads(body, &mut blocks, &mut fields, 0)?;
        Some(fields.into_iter().collect())
    }

    fn reads(
        &self,
        nodes: &[Node],
        blocks: &mut Vec<bool>,
        fields: &mut std::collections::BTreeSet<String>,
        depth: usize,
    ) -> Option<()> {
        if depth > 32 {
            return None;
        }
        // The first name a path reads of the row, resolved as `Run::resolve` does.
        let read =
            |path: &DataPath, blocks: &[bool], fields: &mut std::collections::BTreeSet<String>| {
                let DataPath::Field {
                    root: false,
                    up,
                    names,
                    ..
                } = path
                else {
                    return Some(());
                };
                let top = blocks.len() - 1;
                // `../` past the first block is the current one.
                let block = top.checked_sub(*up).unwrap_or(top);
                if blocks[block] {
                    let first = names.first()?;
                    fields.insert(first.clone());
                    // And how deep: the report builds only the parts of a row a loop reads.
                    let second = names.get(1).map(String::as_str);
                    fields.insert(crate::fields::depth(first, second));
                }
                Some(())
            };
        for node in nodes {
            match node {
                Node::Text(_) => {}
                Node::Value { path, .. } | Node::Code { path, .. } => read(path, blocks, fields)?,
                Node::Lookup { map, key, .. } => {
                    read(map, blocks, fields)?;
                    read(key, blocks, fields)?;
                }
                Node::If {
                    path,
                    then,
                    otherwise,
                    ..
                } => {
                    read(path, blocks, fields)?;
                    self.reads(then, blocks, fields, depth)?;
                    self.reads(otherwise, blocks, fields, depth)?;
                }
                Node::Each {
                    path,
                    body,
                    otherwise,
                    ..
                } => {
                    read(path, blocks, fields)?;
                    blocks.push(false);
                    let inside = self.reads(body, blocks, fields, depth);
                    blocks.pop();
                    inside?;
                    if let Some(otherwise) = otherwise {
                        self.reads(otherwise, blocks, fields, depth)?;
                    }
                }
                Node::Partial(template) => {
                    // A partial's block has the value of the block it is called in.
                    let same = *blocks.last()?;
                    blocks.push(same);
                    let inside =
                        self.reads(self.templates.get(*template)?, blocks, fields, depth + 1);
                    blocks.pop();
                    inside?;
                }
            }
        }
        Some(())
    }

    /// Every index the nodes hold names a template of this set.
    fn is_whole(&self) -> bool {
        let count = self.templates.len();
        let mut pending: Vec<&Node> = self.templates.iter().flatten().collect();
        while let Some(node) = pending.pop() {
            let at = match node {
                Node::Partial(t) if *t >= count => return false,
                Node::Value { at, .. } | Node::Lookup { at, .. } | Node::Code { at, .. } => *at,
                Node::If {
                    then,
                    otherwise,
                    at,
                    ..
                } => {
                    pending.extend(then.iter().chain(otherwise));
                    *at
                }
                Node::Each {
                    body,
                    otherwise,
                    at,
                    ..
                } => {
                    pending.extend(body.iter().chain(otherwise.iter().flatten()));
                    *at
                }
                Node::Text(_) | Node::Partial(_) => continue,
            };
            if at.template >= count {
                return false;
            }
        }
        self.entry < count && self.origins.len() == count
    }

    /// How errors name the templates (a built-in one's file name, an override's path), in
    /// the order nodes call them by.
    pub(crate) fn files(&self) -> impl Iterator<Item = &str> {
        self.origins.iter().map(String::as_str)
    }

    /// Replaces template `name` by plain text (an override without `{{`), named `origin`.
    pub(crate) fn replace_with_text(&mut self, name: &str, text: &str, origin: String) {
        if let Some(i) = self.origins.iter().position(|o| o == name) {
            self.templates[i] = if text.is_empty() {
                Vec::new()
            } else {
                vec![Node::Text(text.into())]
            };
            self.origins[i] = origin;
        }
    }

    /// Renders `root` (a report model as JSON, its rows as placeholders that `rows` turns into
    /// rows) into `out`.
    pub(crate) fn render(
        &self,
        root: &Value,
        rows: &RowJson<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let mut writer = Writer {
            buffer: Vec::with_capacity(FLUSH_AT + 4096),
            out: Some(out),
        };
        let scope = Scope {
            value: root,
            parent: None,
            locals: None,
        };
        let run = Run {
            direct: self,
            root,
            rows,
            fields: std::sync::Mutex::new(Vec::new()),
        };
        run.nodes(&self.templates[self.entry], &scope, &mut writer)?;
        writer.flush()
    }
}

/// Translation of one template.
struct Translator<'a> {
    names: &'a [&'a str],
    template: usize,
    escape: Escape,
}

impl Translator<'_> {
    /// The nodes of `compiled`, a template or a block's body. An element Handlebars kept no
    /// place for (the `{{else if}}` of a chain) is placed where its block is, `outer`, as
    /// Handlebars' errors place it.
    fn nodes(&self, compiled: &Compiled, outer: At) -> Option<Vec<Node>> {
        let mut nodes = Vec::with_capacity(compiled.elements.len());
        for (i, element) in compiled.elements.iter().enumerate() {
            let at = compiled.mapping.get(i).map_or(outer, |m| At {
                template: self.template,
                line: m.0,
                column: m.1,
            });
            let node = match element {
                TemplateElement::RawString(text) if text.is_empty() => continue,
                TemplateElement::RawString(text) => Node::Text(text.as_str().into()),
                TemplateElement::Comment(_) => continue,
                TemplateElement::Expression(h) => self.expression(h, false, at)?,
                TemplateElement::HtmlExpression(h) => self.expression(h, true, at)?,
                TemplateElement::HelperBlock(h) => self.block(h, at)?,
                TemplateElement::PartialExpression(d) => {
                    let name = match &d.name {
                        Parameter::Name(name) => name.as_str(),
                        Parameter::Literal(Value::String(name)) => name.as_str(),
                        _ => return None,
                    };
                    let plain = d.params.is_empty()
                        && d.hash.is_empty()
                        && d.template.is_none()
                        && d.indent.is_none();
                    let callee = self.names.iter().position(|n| *n == name)?;
                    // Handlebars refuses a template that includes itself; leave that to it.
                    if !plain || callee == self.template {
                        return None;
                    }
                    Node::Partial(callee)
                }
                _ => return None,
            };
            nodes.push(node);
        }
        Some(nodes)
    }

    fn expression(&self, h: &HelperTemplate, raw: bool, at: At) -> Option<Node> {
        if !h.hash.is_empty() || h.block_param.is_some() || h.block {
            return None;
        }
        match (&h.name, h.params.as_slice()) {
            (Parameter::Path(path), []) => {
                let path = data_path(path)?;
                if HELPERS.contains(&path.raw()) {
                    return None;
                }
                Some(Node::Value { path, raw, at })
            }
            (Parameter::Name(name), [Parameter::Path(map), Parameter::Path(key)])
                if name == "lookup" =>
            {
                Some(Node::Lookup {
                    map: data_path(map)?,
                    key: data_path(key)?,
                    raw,
                    at,
                })
            }
            (Parameter::Name(name), [Parameter::Path(path)])
                if name == "code" && self.escape == Escape::Markdown =>
            {
                Some(Node::Code {
                    path: data_path(path)?,
                    at,
                })
            }
            _ => None,
        }
    }

    fn block(&self, h: &HelperTemplate, at: At) -> Option<Node> {
        if !h.hash.is_empty() || h.block_param.is_some() || !h.block {
            return None;
        }
        let (Parameter::Name(name), [Parameter::Path(path)]) = (&h.name, h.params.as_slice())
        else {
            return None;
        };
        let path = data_path(path)?;
        let body = match &h.template {
            Some(t) => self.nodes(t, at)?,
            None => Vec::new(),
        };
        let otherwise = match &h.inverse {
            Some(t) => Some(self.nodes(t, at)?),
            None => None,
        };
        match name.as_str() {
            "if" | "unless" => Some(Node::If {
                path,
                positive: name == "if",
                then: body,
                otherwise: otherwise.unwrap_or_default(),
                at,
            }),
            "each" => Some(Node::Each {
                path,
                body,
                otherwise,
                at,
            }),
            _ => None,
        }
    }
}

/// The path Handlebars parsed, read back from its text and checked against the segments it
/// found, or `None` for any form this does not follow (`[...]` segments, `./`, `@root` with
/// `../`, numbers as names).
fn data_path(path: &Path) -> Option<DataPath> {
    match path {
        Path::Local((up, name, raw)) => Some(DataPath::Local {
            up: *up,
            name: match name.as_str() {
                "index" => Local::Index,
                "first" => Local::First,
                "last" => Local::Last,
                "key" => Local::Key,
                _ => return None,
            },
            raw: raw.clone(),
        }),
        Path::Relative((segments, raw)) => {
            let mut rest = raw.as_str();
            // (`{{@root}}` alone is a local variable to Handlebars' parser, refused above.)
            let root = if let Some(after) = rest.strip_prefix("@root.") {
                rest = after;
                true
            } else {
                false
            };
            let mut up = 0;
            while let Some(after) = rest.strip_prefix("../") {
                rest = after;
                up += 1;
            }
            if root && up > 0 {
                return None;
            }
            if rest == "this" {
                rest = "";
            } else if let Some(after) = rest.strip_prefix("this.") {
                rest = after;
            }
            let names: Vec<String> = if rest.is_empty() {
                Vec::new()
            } else {
                rest.split('.').map(str::to_string).collect()
            };
            let identifier = |n: &String| {
                let mut chars = n.chars();
                chars
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && n != "this"
            };
            if !names.iter().all(identifier) {
                return None;
            }
            // What Handlebars found must be what was read: the same names, and one rule
            // segment for `@root` or each `../`.
            let named: Vec<&str> = segments
                .iter()
                .filter_map(|s| match s {
                    handlebars::PathSeg::Named(n) => Some(n.as_str()),
                    _ => None,
                })
                .collect();
            let rules = segments.len() - named.len();
            if named != names || rules != usize::from(root) + up {
                return None;
            }
            Some(DataPath::Field {
                root,
                up,
                names,
                raw: raw.clone(),
            })
        }
    }
}

/// A render in progress.
struct Run<'r> {
    direct: &'r Direct,
    root: &'r Value,
    rows: &'r RowJson<'r>,
    /// The fields each loop over rows reads, by its body and its depth in blocks, found
    /// once: a report loops over each family's rows with the same bodies.
    fields: std::sync::Mutex<Vec<FieldsOf>>,
}

/// A loop body (by address and length) at a depth in blocks, and the fields of a row it
/// reads.
type FieldsOf = ((usize, usize, usize), Option<std::sync::Arc<[String]>>);

impl Run<'_> {
    /// [`Direct::row_fields`], found once for each loop body and depth.
    fn row_fields(&self, body: &[Node], chain: usize) -> Option<std::sync::Arc<[String]>> {
        // (An empty body's address may be any other's: their fields are the same, none.)
        let key = (body.as_ptr() as usize, body.len(), chain);
        let mut found = self
            .fields
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, fields)) = found.iter().find(|(k, _)| *k == key) {
            return fields.clone();
        }
        let fields: Option<std::sync::Arc<[String]>> =
            self.direct.row_fields(body, chain).map(Into::into);
        found.push((key, fields.clone()));
        fields
    }

    fn nodes(
        &self,
        nodes: &[Node],
        scope: &Scope<'_>,
        w: &mut Writer<'_>,
    ) -> Result<(), ReportError> {
        for node in nodes {
            match node {
                Node::Text(text) => w.text(text)?,
                Node::Value { path, raw, at } => {
                    let value = self
                        .resolve(path, scope, *at)?
                        .ok_or_else(|| self.missing(path, *at))?;
                    w.value(&value, *raw, self.direct.escape)?;
                }
                Node::Lookup { map, key, raw, at } => {
                    let found = match (
                        self.resolve(map, scope, *at)?,
                        self.resolve(key, scope, *at)?,
                    ) {
                        (Some(map), Some(key)) => match (&*map, &*key) {
                            (Value::Array(list), key) => key
                                .as_u64()
                                .and_then(|i| list.get(usize::try_from(i).ok()?)),
                            (Value::Object(object), Value::String(key)) => object.get(key),
                            _ => None,
                        }
                        .cloned(),
                        _ => None,
                    };
                    // As Handlebars' `lookup` in strict mode: nothing found is an error.
                    let value = found.ok_or_else(|| self.error(*at, None))?;
                    w.value(&value, *raw, self.direct.escape)?;
                }
                Node::Code { path, at } => {
                    let value = self.resolve(path, scope, *at)?;
                    let text = match value.as_deref() {
                        Some(Value::String(s)) => Cow::Borrowed(s.as_str()),
                        Some(other) => Cow::Owned(other.to_string()),
                        // A helper's missing parameter is null to it.
                        None => Cow::Borrowed("null"),
                    };
                    w.text(&crate::escape::markdown_code(&text))?;
                }
                Node::If {
                    path,
                    positive,
                    then,
                    otherwise,
                    at,
                } => {
                    let value = self
                        .resolve(path, scope, *at)?
                        .ok_or_else(|| self.missing(path, *at))?;
                    let branch = if truthy(&value) == *positive {
                        then
                    } else {
                        otherwise
                    };
                    self.nodes(branch, scope, w)?;
                }
                Node::Each {
                    path,
                    body,
                    otherwise,
                    at,
                } => self.each(path, body, otherwise.as_deref(), *at, scope, w)?,
                Node::Partial(template) => {
                    let inner = Scope {
                        value: scope.value,
                        parent: Some(scope),
                        locals: scope.locals,
                    };
                    self.nodes(&self.direct.templates[*template], &inner, w)?;
                }
            }
        }
        Ok(())
    }

    /// `{{#each}}` as [`crate::helpers::Each`] does it: rows one at a time, any other list or
    /// object item by item, and the `{{else}}` (or, without one, an error) for anything else.
    fn each(
        &self,
        path: &DataPath,
        body: &[Node],
        otherwise: Option<&[Node]>,
        at: At,
        scope: &Scope<'_>,
        w: &mut Writer<'_>,
    ) -> Result<(), ReportError> {
        let value = self.resolve(path, scope, at)?;
        if let Some(rows) = value.as_deref().and_then(rows_of) {
            // Rows are rendered a piece at a time on each thread, and written in order: a
            // row's JSON and text depend on nothing but the row and the blocks around it.
            let len = rows.len();
            let numbered: Vec<(usize, usize)> = rows.into_iter().enumerate().collect();
            // Each row is serialised with only the fields the body reads.
            let fields = self.row_fields(body, scope.chain());
            let each = Loop {
                body,
                len,
                at,
                fields: fields.as_deref(),
            };
            let render = |piece: &[(usize, usize)]| {
                let mut text = Writer::detached();
                for &(index, n) in piece {
                    self.row(n, index, &each, scope, &mut text)?;
                }
                Ok::<_, ReportError>(text.buffer)
            };
            for text in in_order(&numbered, ROWS_AT_A_TIME, render) {
                w.bytes(&text?)?;
            }
            return Ok(());
        }
        match value.as_deref() {
            Some(Value::Array(list)) if !list.is_empty() || otherwise.is_none() => {
                self.items(list.iter().map(|v| (None, v)), list.len(), body, scope, w)
            }
            Some(Value::Object(object)) if !object.is_empty() || otherwise.is_none() => {
                let items = object.iter().map(|(k, v)| (Some(k.as_str()), v));
                self.items(items, object.len(), body, scope, w)
            }
            _ => match otherwise {
                Some(otherwise) => self.nodes(otherwise, scope, w),
                None => Err(self.missing(path, at)),
            },
        }
    }

    /// Renders `body` for each of the `len` items of a list or an object (with its key).
    fn items<'v>(
        &self,
        items: impl Iterator<Item = (Option<&'v str>, &'v Value)>,
        len: usize,
        body: &[Node],
        scope: &Scope<'v>,
        w: &mut Writer<'_>,
    ) -> Result<(), ReportError> {
        for (index, (key, value)) in items.enumerate() {
            let item = Scope {
                value,
                parent: Some(scope),
                locals: Some(Locals { index, len, key }),
            };
            self.nodes(body, &item, w)?;
        }
        Ok(())
    }

    /// Renders the loop's body for row `n`, the `index`th of the loop.
    fn row(
        &self,
        n: usize,
        index: usize,
        each: &Loop<'_>,
        scope: &Scope<'_>,
        w: &mut Writer<'_>,
    ) -> Result<(), ReportError> {
        let at = each.at;
        let row = (self.rows)(n, each.fields)
            .ok_or_else(|| self.error(at, Some(format!("the report has no row {n}"))))?
            .map_err(|e| self.error(at, Some(format!("a row did not serialise: {e}"))))?;
        let item = Scope {
            value: &row,
            parent: Some(scope),
            locals: Some(Locals {
                index,
                len: each.len,
                key: None,
            }),
        };
        self.nodes(each.body, &item, w)
    }

    /// The value `path` names from `scope`, or `None` when it is missing (a null field is
    /// there, and is null). A name applied to a list is an error, as in Handlebars.
    fn resolve<'v>(
        &'v self,
        path: &DataPath,
        scope: &Scope<'v>,
        at: At,
    ) -> Result<Option<Cow<'v, Value>>, ReportError> {
        match path {
            DataPath::Field {
                root, up, names, ..
            } => {
                let mut value = if *root {
                    self.root
                } else {
                    // `../` past the first block is the current block, as Handlebars has it.
                    let mut block = scope;
                    for _ in 0..*up {
                        match block.parent {
                            Some(parent) => block = parent,
                            None => {
                                block = scope;
                                break;
                            }
                        }
                    }
                    block.value
                };
                for name in names {
                    value = match value {
                        Value::Object(object) => match object.get(name) {
                            Some(value) => value,
                            None => return Ok(None),
                        },
                        Value::Array(_) => {
                            // In Handlebars' words (`InvalidJsonIndex`), as the other path
                            // shows them.
                            return Err(self.error(
                                at,
                                Some(format!(
                                    "Cannot access array/vector with string index, {name}"
                                )),
                            ));
                        }
                        _ => return Ok(None),
                    };
                }
                Ok(Some(Cow::Borrowed(value)))
            }
            DataPath::Local { up, name, .. } => {
                let mut block = Some(scope);
                for _ in 0..*up {
                    block = block.and_then(|b| b.parent);
                }
                let Some(locals) = block.and_then(|b| b.locals) else {
                    return Ok(None);
                };
                Ok(match name {
                    Local::Index => Some(Value::from(locals.index)),
                    Local::First => Some(Value::Bool(locals.index == 0)),
                    Local::Last => Some(Value::Bool(locals.index + 1 == locals.len)),
                    Local::Key => locals.key.map(Value::from),
                }
                .map(Cow::Owned))
            }
        }
    }

    /// A path that names nothing, said as a Handlebars strict-mode error is.
    fn missing(&self, path: &DataPath, at: At) -> ReportError {
        self.error(
            at,
            Some(format!(
                "`{}` is not a field of the report model here; see the list of fields in docs/reports.md",
                path.raw()
            )),
        )
    }

    fn error(&self, at: At, message: Option<String>) -> ReportError {
        ReportError::Render {
            template: self.direct.origins[at.template].clone(),
            line: Some(at.line),
            column: Some(at.column),
            message: message
                .unwrap_or_else(|| "a field this template names is not in the report model".into()),
        }
    }
}

/// Handlebars' truth (`JsonTruthy` without zero): `false`, `null`, `0`, `""`, `[]` and `{}`
/// are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(f64::is_normal),
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A value as Handlebars prints it (`JsonRender`).
fn render(value: &Value, into: &mut String) {
    match value {
        Value::String(s) => into.push_str(s),
        Value::Bool(b) => into.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => into.push_str(&n.to_string()),
        Value::Null => {}
        Value::Array(list) => {
            into.push('[');
            for (i, item) in list.iter().enumerate() {
                render(item, into);
                if i + 1 < list.len() {
                    into.push_str(", ");
                }
            }
            into.push(']');
        }
        Value::Object(_) => into.push_str("[object]"),
    }
}

/// Bytes written out at a time.
const FLUSH_AT: usize = 64 * 1024;

/// Rows each thread renders at a time: a few hundred kilobytes of text waiting per thread.
const ROWS_AT_A_TIME: usize = 64;

/// Output, buffered: a render writes thousands of small pieces.
struct Writer<'o> {
    buffer: Vec<u8>,
    /// Where the text goes; none for a piece rendered on a thread, kept whole.
    out: Option<&'o mut dyn Write>,
}

impl Writer<'_> {
    fn detached() -> Writer<'static> {
        Writer {
            buffer: Vec::new(),
            out: None,
        }
    }

    fn bytes(&mut self, bytes: &[u8]) -> Result<(), ReportError> {
        self.buffer.extend_from_slice(bytes);
        self.spill()
    }

    fn text(&mut self, text: &str) -> Result<(), ReportError> {
        self.bytes(text.as_bytes())
    }

    fn value(&mut self, value: &Value, raw: bool, escape: Escape) -> Result<(), ReportError> {
        let owned;
        let text = match value {
            Value::String(s) => s.as_str(),
            other => {
                let mut text = String::new();
                render(other, &mut text);
                owned = text;
                &owned
            }
        };
        match (raw, escape) {
            (true, _) => self.buffer.extend_from_slice(text.as_bytes()),
            (false, Escape::Html) => html(text, &mut self.buffer),
            (false, Escape::Markdown) => self
                .buffer
                .extend_from_slice(crate::escape::markdown(text).as_bytes()),
        }
        self.spill()
    }

    fn spill(&mut self) -> Result<(), ReportError> {
        if self.buffer.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ReportError> {
        if let Some(out) = self.out.as_mut() {
            out.write_all(&self.buffer).map_err(ReportError::Write)?;
            self.buffer.clear();
        }
        Ok(())
    }
}

/// Handlebars' HTML escape (`html_escape`), written straight into `out`.
fn html(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'&' => b"&amp;",
            b'\'' => b"&#x27;",
            b'`' => b"&#x60;",
            b'=' => b"&#x3D;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(entity);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::{Direct, Escape};
    use crate::helpers;
    use handlebars::Handlebars;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// Choices read from a byte string that proptest draws and shrinks: a template and its
    /// data are made from it, so a failure shrinks to a small one.
    struct Choices<'a>(std::slice::Iter<'a, u8>, usize);

    impl Choices<'_> {
        /// A number below `n`; once the bytes are used up, each number in turn.
        fn below(&mut self, n: usize) -> usize {
            self.1 += 1;
            self.0.next().map_or(self.1 % n, |&b| usize::from(b) % n)
        }

        fn pick<'p>(&mut self, from: &[&'p str]) -> &'p str {
            from[self.below(from.len())]
        }
    }

    /// Paths the data mostly has.
    const PATHS: &[&str] = &[
        "a",
        "b",
        "c",
        "list",
        "obj",
        "obj.a",
        "obj.b",
        "obj.list",
        "this",
        "this.a",
        "../a",
        "@root.a",
        "@root.obj.b",
        "@root.rows",
        "rows",
    ];
    /// Paths that name nothing in some places: loop variables outside a loop, `../` past the
    /// first block, a field of a list.
    const RARE: &[&str] = &[
        "@index",
        "@first",
        "@last",
        "@key",
        "@../index",
        "../../b",
        "missing",
        "list.a",
    ];
    /// Loop variables, inside `{{#each}}`.
    const LOCALS: &[&str] = &["@index", "@first", "@last", "@key"];
    const TEXTS: &[&str] = &["x", " ", "\n", "  \n", "|", "<&>", "\r\n", "\t* "];

    /// A template of the part [`Direct`] renders, `depth` blocks deep at most.
    fn template(c: &mut Choices<'_>, depth: usize, partial: bool, markdown: bool) -> String {
        template_in(c, depth, partial, markdown, false)
    }

    fn path<'p>(c: &mut Choices<'_>, looping: bool) -> &'p str {
        match c.below(20) {
            0 => c.pick(RARE),
            1..=3 if looping => c.pick(LOCALS),
            _ => c.pick(PATHS),
        }
    }

    fn template_in(
        c: &mut Choices<'_>,
        depth: usize,
        partial: bool,
        markdown: bool,
        looping: bool,
    ) -> String {
        let mut out = String::new();
        for _ in 0..c.below(6) {
            let trim = |c: &mut Choices<'_>| if c.below(5) == 0 { "~" } else { "" };
            match c.below(if depth == 0 { 6 } else { 10 }) {
                0 | 1 => out.push_str(c.pick(TEXTS)),
                4 if c.below(3) != 0 => out.push_str(c.pick(TEXTS)),
                2 => out.push_str(&format!("{{{{{}{}}}}}", trim(c), path(c, looping))),
                3 => out.push_str(&format!("{{{{{{{}}}}}}}", path(c, looping))),
                4 => {
                    let map = c.pick(&["obj", "@root.obj", "list", "this"]);
                    let key = c.pick(&["a", "b", "@key", "@index", "missing"]);
                    out.push_str(&format!("{{{{lookup {map} {key}}}}}"));
                }
                5 if partial && c.below(2) == 0 => {
                    out.push_str(c.pick(&["{{> p}}", "\n{{> p}}\n"]))
                }
                5 if markdown => out.push_str(&format!("{{{{code {}}}}}", path(c, looping))),
                5 => out.push_str("{{! note }}"),
                6..=8 => {
                    let helper = c.pick(&["if", "unless", "each", "each"]);
                    let subject = path(c, looping);
                    let (open, close) = (trim(c), trim(c));
                    let body =
                        template_in(c, depth - 1, partial, markdown, looping || helper == "each");
                    out.push_str(&format!("{{{{{open}#{helper} {subject}{close}}}}}{body}"));
                    // An `{{else if}}` chain, after `if` and `unless`.
                    if helper != "each" && c.below(4) == 0 {
                        let (condition, tilde) = (path(c, looping), trim(c));
                        let then = template_in(c, depth - 1, partial, markdown, looping);
                        out.push_str(&format!("{{{{{tilde}else if {condition}}}}}{then}"));
                    }
                    if c.below(2) == 0 {
                        let otherwise = template_in(c, depth - 1, partial, markdown, looping);
                        let trim = trim(c);
                        out.push_str(&format!("{{{{{trim}else{trim}}}}}{otherwise}"));
                    }
                    let newline = if c.below(2) == 0 { "\n" } else { "" };
                    out.push_str(&format!("{newline}{{{{/{helper}}}}}{newline}"));
                }
                _ => out.push_str(&format!(
                    "{{{{#each rows}}}}{}{{{{/each}}}}",
                    template_in(c, depth - 1, partial, markdown, true)
                )),
            }
        }
        out
    }

    /// A value of the data: every kind of JSON, text that needs escaping, and lists.
    fn value(c: &mut Choices<'_>, depth: usize) -> Value {
        match c.below(if depth == 0 { 9 } else { 12 }) {
            0 => Value::Null,
            1 => json!(c.below(2) == 0),
            2 => json!(c.below(3)),
            3 => json!(2.5),
            4..=6 => json!(c.pick(&["", "a", "b", "<b> & 'c' = `d`", "x | *y* _z_", "1.", "é"])),
            7 => json!(-0.0),
            8 => json!(
                c.pick(&["[\"s\", 1]", "[]", "{}"])
                    .parse::<Value>()
                    .expect("JSON")
            ),
            9 | 10 => list(c, depth - 1),
            _ => object(c, depth - 1),
        }
    }

    fn list(c: &mut Choices<'_>, depth: usize) -> Value {
        Value::Array((0..c.below(4)).map(|_| object(c, depth)).collect())
    }

    /// An object with most of the fields templates name, mostly of the kind they expect:
    /// `a`, `b` and `c` values, `list` a list of objects, `obj` an object.
    fn object(c: &mut Choices<'_>, depth: usize) -> Value {
        let mut map = serde_json::Map::new();
        for name in ["a", "b", "c", "list", "obj"] {
            if c.below(10) == 0 {
                continue;
            }
            let typical = c.below(6) != 0 && depth > 0;
            let value = match name {
                "list" if typical => list(c, depth - 1),
                "obj" if typical => object(c, depth - 1),
                _ => value(c, depth),
            };
            map.insert(name.to_string(), value);
        }
        Value::Object(map)
    }

    /// A registry set up as [`crate::render::Renderer`] sets its own, with `rows` for `each`.
    fn handlebars<'r>(markdown: bool, rows: &'r [Value]) -> Handlebars<'r> {
        let mut hbs = Handlebars::new();
        hbs.set_strict_mode(true);
        hbs.set_prevent_indent(true);
        hbs.register_helper("if", Box::new(helpers::StrictIf { positive: true }));
        hbs.register_helper("unless", Box::new(helpers::StrictIf { positive: false }));
        if markdown {
            hbs.register_escape_fn(crate::escape::markdown);
            hbs.register_helper("code", Box::new(helpers::Code));
        }
        hbs.register_helper(
            "each",
            Box::new(helpers::Each {
                rows: Box::new(|n, _| rows.get(n).cloned().map(Ok)),
            }),
        );
        hbs
    }

    /// Renders the template `main` (calling `p`) over `data` both ways: `None` when [`Direct`]
    /// does not take the templates, else Handlebars' result and its own, errors as the
    /// messages `kpi` shows (template, line, column and words).
    fn both(
        main: &str,
        partial: &str,
        data: &Value,
        rows: &[Value],
        markdown: bool,
    ) -> Option<(Result<String, String>, Result<String, String>)> {
        let mut hbs = handlebars(markdown, rows);
        hbs.register_template_string("main", main)
            .expect("a template");
        hbs.register_template_string("p", partial)
            .expect("a template");
        let escape = if markdown {
            Escape::Markdown
        } else {
            Escape::Html
        };
        let parsed = [
            ("main", hbs.get_template("main")?, "main".to_string()),
            ("p", hbs.get_template("p")?, "p".to_string()),
        ];
        let direct = Direct::new(&parsed, "main", escape)?;
        let expected = hbs
            .render("main", data)
            .map_err(|e| crate::render::render_error(&e, &[]).to_string());
        let mut out = Vec::new();
        // Rows as the report gives them: only the fields asked for, and of a field that is
        // an object, only what the paths read of it (the report builds no other part).
        let row = |n: usize, fields: Option<&[String]>| {
            let mut row = rows.get(n).cloned()?;
            if let (Some(fields), Some(object)) = (fields, row.as_object_mut()) {
                object.retain(|k, _| fields.contains(k));
                for (k, value) in object.iter_mut() {
                    if fields.contains(&format!("{k}.*")) {
                        continue;
                    }
                    if let Some(inner) = value.as_object_mut() {
                        inner.retain(|i, _| fields.contains(&format!("{k}.{i}")));
                    }
                }
            }
            Some(Ok(row))
        };
        let got = direct
            .render(data, &row, &mut out)
            .map(|()| String::from_utf8(out).expect("text"))
            .map_err(|e| e.to_string());
        Some((expected, got))
    }

    fn stubs(n: usize) -> Value {
        Value::Array((0..n).map(|i| json!({"\u{0}row": i})).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// Random templates of the part [`Direct`] renders, over random data with rows, give
        /// the bytes Handlebars gives, and fail where Handlebars fails.
        #[test]
        fn renders_what_handlebars_renders(
            shape in proptest::collection::vec(any::<u8>(), 0..300),
            content in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let mut c = Choices(shape.iter(), 0);
            let markdown = c.below(2) == 0;
            let main = template(&mut c, 3, true, markdown);
            // The partial is called from anywhere, in a loop or not.
            let partial = template_in(&mut c, 2, false, markdown, true);
            let mut c = Choices(content.iter(), 0);
            let mut data = object(&mut c, 4);
            let count = c.below(3);
            let rows: Vec<Value> = (0..count).map(|_| object(&mut c, 2)).collect();
            data.as_object_mut().expect("an object").insert("rows".into(), stubs(count));
            let both = both(&main, &partial, &data, &rows, markdown);
            prop_assert!(both.is_some(), "refused: {:?} / {:?}", main, partial);
            let (expected, got) = both.expect("taken");
            prop_assert_eq!(got, expected, "template {:?}, partial {:?}, data {}", main, partial, data);
        }
    }

    /// Partials and loop variables, where the random templates rarely meet: a partial sees the
    /// variables of the loop that calls it, `../` from it is the loop's item, and `../` past the
    /// first block is the current one.
    #[test]
    fn partials_in_loops_see_what_handlebars_gives_them() {
        let data = json!({
            "list": [{"a": 1, "list": [{"a": "x"}]}, {"a": "<2>", "list": []}],
            "obj": {"k": {"a": true}, "l": {"a": null}},
            "b": "B",
            "rows": stubs(2),
        });
        let rows = [json!({"a": "r0", "b": 0}), json!({"a": "r1", "b": 1})];
        for (main, partial) in [
            (
                "{{#each list}}{{> p}};{{/each}}",
                "{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}{{a}}{{../a}}{{@root.b}}",
            ),
            (
                "{{#each obj}}{{> p}};{{/each}}",
                "{{@key}}{{@index}}{{a}}{{#unless @last}},{{/unless}}",
            ),
            (
                "{{#each rows}}{{> p}}\n{{/each}}",
                "{{@index}}{{a}}{{b}}{{@root.b}}{{#each @root.list}}{{@../index}}{{@index}}{{/each}}",
            ),
            ("{{> p}}", "{{../b}}{{this.b}}{{@root.b}}"),
            (
                "{{#each list}}{{#each list}}{{../../b}}{{../a}}{{@../index}}{{/each}}{{/each}}",
                "",
            ),
            (
                "{{#each list}}{{> p}}{{/each}}",
                "{{#each list}}{{@index}}{{../../a}}{{else}}none{{/each}}",
            ),
            ("{{> p}}", "{{@index}}"),
        ] {
            for markdown in [false, true] {
                let (expected, got) = both(main, partial, &data, &rows, markdown).expect("taken");
                assert_eq!(got, expected, "{main} / {partial}");
            }
        }
    }

    /// Rows rendered on several threads, a few hundred at a time, come out in order, with
    /// their loop variables.
    #[test]
    fn many_rows_come_out_in_order() {
        let rows: Vec<Value> = (0..1000)
            .map(|i| json!({"a": i, "b": format!("<{i}>")}))
            .collect();
        let data = json!({"rows": stubs(rows.len()), "c": "C"});
        let main = "{{#each rows}}{{> p}}{{/each}}|{{#each rows}}{{@index}}{{/each}}";
        let partial =
            "{{#if @first}}[{{/if}}{{@index}}={{a}}{{b}}{{@root.c}}{{#if @last}}]{{/if}}\n";
        let (expected, got) = both(main, partial, &data, &rows, false).expect("taken");
        assert!(expected.as_ref().is_ok_and(|text| text.len() > 10_000));
        assert_eq!(got, expected);
    }

    /// A run of rows (`{"\u{0}rows": [first, count]}`, a family of a report built as it is
    /// rendered) renders, directly and through Handlebars, as the placeholders of its rows
    /// do: the rows in order, with their loop variables and `{{else}}`; a run that is not
    /// one (a count of 0, a third number, another key) is an object like any other.
    #[test]
    fn a_run_of_rows_renders_as_its_rows_placeholders() {
        let rows: Vec<Value> = (0..300).map(|i| json!({"a": i})).collect();
        let main = "{{#each rows}}{{#if @first}}[{{/if}}{{@index}}={{a}}{{#if @last}}]{{/if}};{{else}}none{{/each}}";
        let placeholders = |range: std::ops::Range<usize>| {
            Value::Array(range.map(|i| json!({"\u{0}row": i})).collect())
        };
        for (first, count) in [(0, 300), (5, 1), (120, 180), (299, 1)] {
            let run = json!({"rows": {"\u{0}rows": [first, count]}});
            let each = json!({"rows": placeholders(first..first + count)});
            let (expected, got) = both(main, "", &each, &rows, false).expect("taken");
            assert!(expected.is_ok(), "{expected:?}");
            assert_eq!(got, expected);
            let (by_run, got) = both(main, "", &run, &rows, false).expect("taken");
            assert_eq!(got, by_run);
            assert_eq!(by_run, expected, "{first}, {count}");
        }
        for not_a_run in [
            json!({"\u{0}rows": [0, 0]}),
            json!({"\u{0}rows": [0, 1, 2]}),
            json!({"\u{0}rows": [0, 1], "b": 1}),
        ] {
            let data = json!({"rows": not_a_run});
            let main = "{{#each rows}}{{@key}};{{/each}}";
            let (expected, got) = both(main, "", &data, &rows, false).expect("taken");
            assert!(expected.is_ok(), "{expected:?}");
            assert_eq!(got, expected);
        }
    }

    /// A row is serialised with only the fields its loop's body reads: every way of reading
    /// one keeps it (through a partial, `lookup`, `../` from a loop inside the row, `../`
    /// past the first block, a condition, the row whole).
    #[test]
    fn rows_keep_every_field_their_loop_reads() {
        let d = |x: &str| json!({"x": x, "y": x, "x2": "unread"});
        let rows = [
            json!({"a": "A0", "b": "B0", "c": "C0", "key": "x", "list": [{"a": "in"}], "unused": 0, "d": d("d0")}),
            json!({"a": "A1", "b": "", "c": "C1", "key": "y", "list": [{"a": "in"}], "unused": 1, "d": d("")}),
        ];
        let data = json!({"rows": stubs(2), "map": {"x": "X", "y": "Y"}, "b": "root b"});
        for (main, partial) in [
            (
                "{{#each rows}}{{> p}};{{/each}}",
                "{{a}}{{#if b}}{{c}}{{/if}}",
            ),
            ("{{#each rows}}{{lookup @root.map key}};{{/each}}", ""),
            ("{{#each rows}}{{../../b}}{{../../../c}};{{/each}}", ""),
            (
                "{{#each rows}}{{#each list}}{{../c}}{{a}}{{/each}};{{/each}}",
                "",
            ),
            (
                "{{#each rows}}{{> p}};{{/each}}",
                "{{#each list}}{{../../key}}{{/each}}",
            ),
            (
                "{{#each rows}}{{this}};{{#each this}}{{@key}}{{/each}}{{/each}}",
                "",
            ),
            // Fields of a field: by name, whole (`#if`, `#each`, `lookup`), from a loop inside.
            ("{{#each rows}}{{d.x}}{{#if d.y}}y{{/if}};{{/each}}", ""),
            (
                "{{#each rows}}{{#each d}}{{@key}}={{this}}{{/each}};{{/each}}",
                "",
            ),
            (
                "{{#each rows}}{{#if d}}{{lookup d key}}{{/if}};{{/each}}",
                "",
            ),
            (
                "{{#each rows}}{{#each list}}{{../d.x}}{{/each}};{{/each}}",
                "",
            ),
            (
                "{{#each rows}}{{> p}};{{/each}}",
                "{{d.y}}{{#each list}}{{../../d}}{{/each}}",
            ),
        ] {
            let (expected, got) = both(main, partial, &data, &rows, false).expect("taken");
            assert!(expected.is_ok(), "{main}: {expected:?}");
            assert_eq!(got, expected, "{main} / {partial}");
        }
    }

    /// The translation kept in the crate is used only when made from these templates, and
    /// when every index in it holds.
    #[test]
    fn a_translation_of_other_templates_is_not_used() {
        let kept = crate::templates::BUILTIN_TRANSLATED;
        assert!(Direct::read(kept, 0).is_some());
        let fingerprint = crate::templates::builtin_fingerprint();
        let other = kept.replacen(&fingerprint, "0123456789abcdef", 1);
        assert!(Direct::read(&other, 0).is_none());
        let broken = kept.replacen("{\"Partial\":", "{\"Partial\":9", 1);
        assert_ne!(broken, kept);
        assert!(Direct::read(&broken, 0).is_none());
    }

    /// Forms outside the part it renders are left to Handlebars.
    #[test]
    fn other_forms_are_left_to_handlebars() {
        for main in [
            "{{#with a}}x{{/with}}",
            "{{len list}}",
            "{{lookup}}",
            "{{a.[b c]}}",
            "{{#each list as |item|}}{{item}}{{/each}}",
            "{{> (a)}}",
            "{{> p x=1}}",
            "{{#> p}}fallback{{/p}}",
            "{{#*inline \"q\"}}q{{/inline}}",
            "{{list.0}}",
            "{{> main}}",
        ] {
            let mut hbs = handlebars(false, &[]);
            hbs.register_template_string("main", main).expect("parses");
            hbs.register_template_string("p", "p").expect("parses");
            let parsed = [
                (
                    "main",
                    hbs.get_template("main").expect("there"),
                    "main".to_string(),
                ),
                ("p", hbs.get_template("p").expect("there"), "p".to_string()),
            ];
            assert!(
                Direct::new(&parsed, "main", Escape::Html).is_none(),
                "{main}"
            );
        }
    }
}
