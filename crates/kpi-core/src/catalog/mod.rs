//! The set of definitions in force: loaded from the standard library and one or more
//! directories, in layers (a later layer replaces an earlier definition of the same id, or
//! changes some of its keys), with every cross-file check done: names resolve, input units
//! agree, ids are unique. The dependency graph (evaluation order, cycles) is [`graph`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod graph;

use crate::compile::{Operand, Program, compile};
use crate::definition::Definition;
use crate::definition::check::{Reading, apply, default_id, read_definition};
use crate::diagnostic::{Diagnostic, Diagnostics, Problem, os_reason};
use crate::in_order::in_order;
use crate::index::MetricIndex;
use crate::input::InputDecl;
use crate::library::{self, Selection};
use crate::limits::{MAX_DEFINITION_BYTES, MAX_DEFINITIONS};
use crate::problems::{MAX_SHOWN, Problems};
use crate::read::read_text;
use crate::source::SourceFile;
use crate::suggest::closest;
use crate::unit::Unit;

/// Distinct unknown names of one formula that each get a diagnostic of their own.
const NAMED_UNKNOWN: usize = 10;

/// Names, in one catalog, for which a close known name is searched.
const MAX_SUGGESTIONS: usize = 1000;

/// A metric in force: a definition from the last directory that defines its id.
pub type Metric = Definition;

/// A name as readers see it (see [`Catalog::reader_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderName<'a> {
    /// A metric's name, a title (`Customer churn rate`).
    Metric(&'a str),
    /// An input's name, a phrase as it reads in a sentence (`finance's MRR budget`).
    Input(&'a str),
}

/// What a name in a formula refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRef {
    /// An input, by index into [`Catalog::inputs`].
    Input(usize),
    /// A metric, by its position in [`Catalog::metrics`].
    Metric(MetricIndex),
}

/// Every definition in force, checked as a whole.
#[derive(Debug, Clone)]
pub struct Catalog {
    metrics: Vec<Metric>,
    index: HashMap<String, usize>,
    /// Sorted by name, which finds them: no index beside them (a project may declare 55 000).
    inputs: Vec<(String, Arc<InputDecl>)>,
    /// Each input's name for readers, by locale then input: the first metric, in catalog
    /// order, that gives one in its `[locale.<code>] inputs`.
    input_names: HashMap<String, HashMap<String, String>>,
    order: Vec<usize>,
    programs: Vec<Program>,
    notes: Vec<Diagnostic>,
}

/// The `.toml` files directly in `dir`, sorted by name. Other files and subdirectories are
/// skipped, so a `README.md` may sit beside the definitions.
pub(crate) fn definition_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(
            Problem::NotADirectory {
                path: dir.to_path_buf(),
            },
            None,
        ));
    }
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            Problem::MissingDirectory {
                path: dir.to_path_buf(),
            },
            None,
        ));
    }
    let io = |e: std::io::Error| {
        Diagnostic::error(
            Problem::Io {
                path: dir.to_path_buf(),
                error: os_reason(&e),
            },
            None,
        )
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        // The listing says what an entry is without a `stat` of each file (a folder of
        // 100 000 definitions); a symbolic link is followed to see what it points at.
        let folder = match entry.file_type() {
            Ok(kind) if !kind.is_symlink() => kind.is_dir(),
            _ => path.is_dir(),
        };
        if !folder {
            files.push(path);
        }
    }
    // The same folder for every file: its paths sort as their names' bytes, which is the
    // order of `Path`'s own comparison at a fraction of its cost.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok(files)
}

/// Definition files each thread reads, or parses and checks, at a time.
const FILES_AT_A_TIME: usize = 128;

impl Catalog {
    /// Loads every `*.toml` file of each directory, in order: a later directory may redefine
    /// an id from an earlier one. Returns every problem found, not just the first.
    pub fn load(dirs: &[PathBuf]) -> Result<Catalog, Diagnostics> {
        Self::load_at_most(None, dirs, MAX_DEFINITIONS)
    }

    /// Loads the standard definitions that `library` selects, as a first layer, then every
    /// `*.toml` file of each directory, as [`Catalog::load`] does.
    pub fn load_with_library(
        library: &Selection,
        dirs: &[PathBuf],
    ) -> Result<Catalog, Diagnostics> {
        Self::load_at_most(Some(library), dirs, MAX_DEFINITIONS)
    }

    /// Loads the standard definitions that `library` selects (if any) as a first layer, then
    /// files already in memory, one list per folder in order (`kpi diff` reads them from
    /// git), with the same checks as [`Catalog::load`].
    pub fn load_files(
        library: Option<&Selection>,
        folders: Vec<Vec<SourceFile>>,
    ) -> Result<Catalog, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut layers = Vec::new();
        if let Some(selection) = library {
            let (files, notes) = library::select(selection);
            diagnostics.0.extend(notes);
            layers.push(files);
        }
        let count = layers.iter().chain(&folders).map(Vec::len).sum::<usize>();
        if count > MAX_DEFINITIONS {
            diagnostics.push(Diagnostic::error(
                Problem::TooManyDefinitions {
                    count,
                    limit: MAX_DEFINITIONS,
                },
                None,
            ));
            return Err(diagnostics);
        }
        layers.extend(folders);
        Self::from_layers(layers, diagnostics)
    }

    /// [`Catalog::load_with_library`] with the number of definitions bounded by `limit`.
    fn load_at_most(
        library: Option<&Selection>,
        dirs: &[PathBuf],
        limit: usize,
    ) -> Result<Catalog, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut layers = Vec::new();
        let mut count = 0;
        if let Some(selection) = library {
            let (files, notes) = library::select(selection);
            count += files.len();
            diagnostics.0.extend(notes);
            layers.push(files);
        }
        for dir in dirs {
            let files = match definition_files(dir) {
                Ok(files) => files,
                Err(d) => {
                    diagnostics.push(d);
                    continue;
                }
            };
            if files.is_empty() {
                diagnostics.push(Diagnostic::warning(
                    Problem::EmptyDirectory { path: dir.clone() },
                    None,
                ));
            }
            count += files.len();
            if count > limit {
                diagnostics.push(Diagnostic::error(
                    Problem::TooManyDefinitions { count, limit },
                    None,
                ));
                return Err(diagnostics);
            }
            // Read on every thread (a project of thousands of files waits on the system for
            // each), kept in the order of the files.
            let read = |paths: &[PathBuf]| -> Vec<Result<SourceFile, Diagnostic>> {
                paths
                    .iter()
                    .map(|path| {
                        read_text(path, MAX_DEFINITION_BYTES)
                            .map(|text| SourceFile::new(path.clone(), text))
                    })
                    .collect()
            };
            let mut layer = Vec::with_capacity(files.len());
            for result in in_order(&files, FILES_AT_A_TIME, read).flatten() {
                match result {
                    Ok(file) => layer.push(file),
                    Err(d) => diagnostics.push(d),
                }
            }
            layers.push(layer);
        }
        Self::from_layers(layers, diagnostics)
    }

    /// Builds a catalog from files already in memory, one list per directory, in override
    /// order. `diagnostics` holds problems found while reading them.
    pub fn from_layers(
        layers: Vec<Vec<SourceFile>>,
        mut diagnostics: Diagnostics,
    ) -> Result<Catalog, Diagnostics> {
        let mut loading = Loading::default();
        for layer in layers {
            let this_layer = loading.read_layer(layer, &mut diagnostics);
            loading.put_in_force(this_layer, &mut diagnostics);
        }
        if loading.in_force.is_empty() && !diagnostics.has_errors() {
            diagnostics.push(Diagnostic::error(Problem::NoDefinitions, None));
        }
        let mut catalog = Catalog::new(loading, &mut diagnostics);
        catalog.check_across_files(&mut diagnostics);
        sort_diagnostics(&mut diagnostics.0);
        diagnostics.0 = at_most_per_file(std::mem::take(&mut diagnostics.0));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        catalog.notes = diagnostics.0;
        Ok(catalog)
    }

    /// The catalog of the definitions in force, indexed, with the inputs they declare merged;
    /// not yet checked across files, ordered or compiled.
    fn new(loading: Loading, diagnostics: &mut Diagnostics) -> Catalog {
        let metrics: Vec<Metric> = loading.in_force.into_values().collect();
        let index: HashMap<String, usize> = metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let inputs = merge_inputs(loading.declarations, diagnostics);
        // Built once, so that naming an input for readers is a lookup, not a walk through
        // every definition (quadratic over a report of 100 000 metrics).
        let mut input_names: HashMap<String, HashMap<String, String>> = HashMap::new();
        for metric in &metrics {
            for (locale, translation) in &metric.translations {
                let names = input_names.entry(locale.clone()).or_default();
                for (input, name) in &translation.inputs {
                    names.entry(input.clone()).or_insert_with(|| name.clone());
                }
            }
        }
        Catalog {
            metrics,
            index,
            inputs,
            input_names,
            order: Vec::new(),
            programs: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The checks that need every definition: names, target series, examples' names, cycles;
    /// when none fails, the evaluation order and the compiled programs.
    fn check_across_files(&mut self, diagnostics: &mut Diagnostics) {
        self.check_names(diagnostics);
        self.check_target_series(diagnostics);
        diagnostics.0.extend(graph::check_example_names(self));
        // Cycles are found among the metrics that loaded, whatever else is wrong, so that one
        // run reports every problem.
        match self.dependency_order() {
            Ok(order) => {
                self.check_target_cycles(&order, diagnostics);
                if !diagnostics.has_errors() {
                    self.order = order;
                    self.programs = self.compile_all();
                }
            }
            Err(cycles) => diagnostics.0.extend(cycles),
        }
    }

    /// The metrics in force, sorted by id.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// The metric with this id.
    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.index.get(id).map(|&i| &self.metrics[i])
    }

    /// The position of the metric with this id.
    pub fn metric_index(&self, id: &str) -> Option<MetricIndex> {
        self.index.get(id).copied().map(MetricIndex::new)
    }

    /// The metric at a position.
    pub fn metric_at(&self, m: MetricIndex) -> &Metric {
        &self.metrics[m.get()]
    }

    /// Every metric's position, in id order.
    pub fn metric_indexes(&self) -> impl ExactSizeIterator<Item = MetricIndex> + use<> {
        (0..self.metrics.len()).map(MetricIndex::new)
    }

    /// The declared inputs, sorted by name.
    pub fn inputs(&self) -> &[(String, Arc<InputDecl>)] {
        &self.inputs
    }

    /// How a name reads in a sentence for readers in `locale`: a metric's name there, or
    /// an input's (`[locale.<code>] inputs`, else its declared `name`); None for an input
    /// without a name, and for a name that is neither.
    pub fn reader_name(&self, name: &str, locale: &str) -> Option<ReaderName<'_>> {
        match self.resolve(name)? {
            NameRef::Metric(m) => Some(ReaderName::Metric(self.metric_at(m).name_in(locale))),
            NameRef::Input(i) => self
                .input_names
                .get(locale)
                .and_then(|names| names.get(name))
                .or(self.inputs[i].1.name.as_ref())
                .map(|n| ReaderName::Input(n.as_str())),
        }
    }

    /// The unit of an input's or a metric's values, and the digits reports show of them (a
    /// metric's `decimals`; an input's unit's default).
    pub fn unit_of(&self, name: &str) -> Option<(Unit, u8)> {
        match self.resolve(name)? {
            NameRef::Metric(m) => {
                let metric = self.metric_at(m);
                Some((metric.unit, metric.decimals))
            }
            NameRef::Input(i) => {
                let unit = self.inputs[i].1.unit;
                Some((unit, unit.default_decimals()))
            }
        }
    }

    /// What a name refers to.
    pub fn resolve(&self, name: &str) -> Option<NameRef> {
        if let Some(&i) = self.index.get(name) {
            return Some(NameRef::Metric(MetricIndex::new(i)));
        }
        self.input_position(name).map(NameRef::Input)
    }

    /// The index of input `name` in [`Catalog::inputs`].
    fn input_position(&self, name: &str) -> Option<usize> {
        self.inputs
            .binary_search_by(|(input, _)| input.as_str().cmp(name))
            .ok()
    }

    /// The metrics in an order where every metric comes after those it uses.
    pub fn evaluation_order(&self) -> impl ExactSizeIterator<Item = MetricIndex> + '_ {
        self.order.iter().copied().map(MetricIndex::new)
    }

    /// Each metric's compiled formula, by metric index.
    pub(crate) fn programs(&self) -> &[Program] {
        &self.programs
    }

    fn compile_all(&self) -> Vec<Program> {
        let resolve = |name: &str| match self.resolve(name) {
            Some(NameRef::Input(i)) => Operand::Input(i),
            Some(NameRef::Metric(m)) => Operand::Metric(m.get()),
            None => unreachable!("names are checked before compiling"),
        };
        self.metrics
            .iter()
            .map(|m| compile(&m.formula.expr, &resolve))
            .collect()
    }

    /// Notes and warnings found while loading (overrides, empty directories).
    pub fn notes(&self) -> &[Diagnostic] {
        &self.notes
    }

    /// Every name a formula reads is a metric or an input, and not both. Said briefly: per
    /// formula, the first [`NAMED_UNKNOWN`] distinct unknown names each get a diagnostic (with
    /// a suggestion), the others are counted on one more; suggestions, which compare a name
    /// with every known one, are searched for at most [`MAX_SUGGESTIONS`] names in all, so that
    /// the cost stays linear in the number of definitions.
    fn check_names(&self, diagnostics: &mut Diagnostics) {
        let mut suggestions = 0;
        for metric in &self.metrics {
            let mut problems = Problems::default();
            let mut named: Vec<&str> = Vec::new();
            for reference in &metric.formula.references {
                let name = reference.name.as_str();
                let is_metric = self.index.contains_key(name);
                let input = self.input_position(name);
                let location = || metric.formula_location(&reference.name_span);
                if let (true, Some(i)) = (is_metric, input) {
                    let line = metric.formula_line(&reference.name_span);
                    problems.repeat(&format!("ambiguous {name}"), line, "place", "line", || {
                        Diagnostic::error(
                            Problem::AmbiguousName {
                                name: name.to_string(),
                                input_source: self.inputs[i].1.path().to_path_buf(),
                            },
                            Some(location()),
                        )
                    });
                } else if !is_metric && input.is_none() {
                    if !named.contains(&name) && named.len() < NAMED_UNKNOWN {
                        named.push(name);
                    }
                    let key = if named.contains(&name) {
                        name
                    } else {
                        // Past the first few: one diagnostic counts them all.
                        "\0more"
                    };
                    let line = metric.formula_line(&reference.name_span);
                    problems.repeat(key, line, "unknown name", "line", || {
                        let suggestion = (suggestions < MAX_SUGGESTIONS).then(|| {
                            suggestions += 1;
                            let known = self
                                .index
                                .keys()
                                .chain(self.inputs.iter().map(|(name, _)| name))
                                .map(String::as_str);
                            closest(name, known)
                        });
                        Diagnostic::error(
                            Problem::UnknownName {
                                metric: metric.id.clone(),
                                name: name.to_string(),
                                suggestion: suggestion.flatten(),
                            },
                            Some(location()),
                        )
                    });
                }
            }
            let label = format!("`{}`", metric.source().display());
            diagnostics.0.extend(problems.finish(label));
        }
    }

    /// Every series a target names is an input or a metric.
    fn check_target_series(&self, diagnostics: &mut Diagnostics) {
        for metric in &self.metrics {
            let Some(target) = &metric.target else {
                continue;
            };
            for series in &target.series {
                if self.resolve(&series.name).is_some() {
                    continue;
                }
                let known = self
                    .index
                    .keys()
                    .chain(self.inputs.iter().map(|(name, _)| name))
                    .map(String::as_str);
                diagnostics.push(Diagnostic::error(
                    Problem::UnknownSeries {
                        metric: metric.id.clone(),
                        name: series.name.clone(),
                        suggestion: closest(&series.name, known),
                    },
                    Some(series.location.clone()),
                ));
            }
        }
    }
}

/// A layer's definitions by id, each with the keys it changes when it is made of an earlier
/// definition and a file without `formula`.
type Layer = BTreeMap<String, (Definition, Option<Vec<String>>)>;

/// The state of loading, layer after layer.
#[derive(Default)]
struct Loading {
    /// The definitions in force so far, by id.
    in_force: BTreeMap<String, Definition>,
    /// Inputs count wherever they are declared, even in a definition later overridden.
    declarations: Vec<(String, Arc<InputDecl>)>,
    /// Ids of files that could not be read: a later file that changes one of them is not
    /// said to change nothing, as the reason is already reported.
    failed: BTreeSet<String>,
}

impl Loading {
    /// Reads the files of one layer: each a whole definition or changes to one in force;
    /// two definitions of one id in a layer are an error.
    fn read_layer(&mut self, layer: Vec<SourceFile>, diagnostics: &mut Diagnostics) -> Layer {
        let mut this_layer = Layer::new();
        // Each file is parsed and checked on its own, on every thread, in file order; what
        // depends on the others (overrides, duplicates) is settled below, in that order.
        let files: Vec<Arc<SourceFile>> = layer.into_iter().map(Arc::new).collect();
        let read = |files: &[Arc<SourceFile>]| -> Vec<(String, Reading)> {
            files
                .iter()
                .map(|file| (default_id(file.path()), read_definition(Arc::clone(file))))
                .collect()
        };
        for (stem, reading) in in_order(&files, FILES_AT_A_TIME, read).flatten() {
            let (definition, changed) = match reading {
                Reading::Whole(Ok(d)) => (d, None),
                Reading::Whole(Err(errors)) => {
                    diagnostics.0.extend(errors);
                    self.failed.insert(stem);
                    continue;
                }
                Reading::Changes(changes) => match self.in_force.get(&changes.id) {
                    Some(base) => match apply(base, &changes) {
                        Ok(d) => (d, Some(changes.keys)),
                        Err(errors) => {
                            diagnostics.0.extend(errors);
                            self.failed.insert(changes.id);
                            continue;
                        }
                    },
                    None => {
                        if !self.failed.contains(&changes.id) {
                            let suggestion =
                                closest(&changes.id, self.in_force.keys().map(String::as_str));
                            diagnostics.push(Diagnostic::error(
                                Problem::OverridesNothing {
                                    standard: library::contains(&changes.id),
                                    id: changes.id,
                                    suggestion,
                                },
                                Some(changes.location),
                            ));
                        }
                        continue;
                    }
                },
            };
            self.declarations.extend(definition.inputs.clone());
            if let Some((first, _)) = this_layer.get(&definition.id) {
                diagnostics.push(Diagnostic::error(
                    Problem::DuplicateId {
                        id: definition.id.clone(),
                        other: first.id_location().path,
                    },
                    Some(definition.id_location()),
                ));
                continue;
            }
            this_layer.insert(definition.id.clone(), (definition, changed));
        }
        this_layer
    }

    /// Puts a layer's definitions in force, with a note (or a warning, when it changes
    /// nothing) for each that replaces or changes an earlier one.
    fn put_in_force(&mut self, this_layer: Layer, diagnostics: &mut Diagnostics) {
        for (id, (definition, changed)) in this_layer {
            if let Some(previous) = self.in_force.get(&id) {
                let previous = previous.source().to_path_buf();
                let location = Some(definition.id_location());
                diagnostics.push(match changed {
                    None => Diagnostic::note(
                        Problem::Override {
                            id: id.clone(),
                            previous,
                        },
                        location,
                    ),
                    Some(keys) if keys.is_empty() => Diagnostic::warning(
                        Problem::ChangesNothing {
                            id: id.clone(),
                            previous,
                        },
                        location,
                    ),
                    Some(keys) => Diagnostic::note(
                        Problem::PartialOverride {
                            id: id.clone(),
                            keys,
                            previous,
                        },
                        location,
                    ),
                });
            }
            self.in_force.insert(id, definition);
        }
    }
}

/// Merges input declarations in load order; the same input with two units is an error naming
/// both files. The first description given wins. The result is sorted by name.
///
/// Declarations of one name are merged where the first of them is, in the declarations' own
/// buffer, and the problems found are said in load order: a project may declare 55 000
/// inputs, and a map of them beside the declarations would double their memory.
fn merge_inputs(
    declarations: Vec<(String, Arc<InputDecl>)>,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, Arc<InputDecl>)> {
    let mut slots: Vec<Option<(String, Arc<InputDecl>)>> =
        declarations.into_iter().map(Some).collect();
    fn key(slots: &[Option<(String, Arc<InputDecl>)>], k: u32) -> &str {
        slots[k as usize].as_ref().map_or("", |(n, _)| n.as_str())
    }
    // Declarations by name, each name's in load order, and where each name's run ends.
    let mut order: Vec<u32> = (0..slots.len() as u32).collect();
    order.sort_by(|&a, &b| key(&slots, a).cmp(key(&slots, b)));
    let ends: Vec<usize> = (1..=order.len())
        .filter(|&i| i == order.len() || key(&slots, order[i]) != key(&slots, order[i - 1]))
        .collect();
    let mut problems: Vec<(u32, Diagnostic)> = Vec::new();
    let mut from = 0;
    for end in ends {
        let run = &order[from..end];
        from = end;
        let (&first_k, later) = run.split_first().expect("a run is never empty");
        let Some((name, mut first)) = slots[first_k as usize].take() else {
            continue;
        };
        for &k in later {
            let Some((_, decl)) = slots[k as usize].take() else {
                continue;
            };
            match merge_input(&name, first, decl) {
                Ok(merged) => first = merged,
                Err((kept, problem)) => {
                    first = kept;
                    problems.push((k, problem));
                }
            }
        }
        slots[first_k as usize] = Some((name, first));
    }
    problems.sort_by_key(|(k, _)| *k);
    diagnostics.0.extend(problems.into_iter().map(|(_, d)| d));
    let mut merged: Vec<(String, Arc<InputDecl>)> = slots.into_iter().flatten().collect();
    merged.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    merged
}

/// Merges a later declaration of input `name` into the first (already merged with those in
/// between); a conflict keeps the first as it is, with the problem.
fn merge_input(
    name: &str,
    first: Arc<InputDecl>,
    decl: Arc<InputDecl>,
) -> Result<Arc<InputDecl>, (Arc<InputDecl>, Diagnostic)> {
    if first.unit != decl.unit {
        let problem = Diagnostic::error(
            Problem::InputUnitConflict {
                input: name.to_string(),
                unit: decl.unit.to_string(),
                other_unit: first.unit.to_string(),
                other: first.path().to_path_buf(),
            },
            Some(decl.location()),
        );
        return Err((first, problem));
    }
    if (first.aggregate.is_some() && decl.aggregate.is_some() && first.aggregate != decl.aggregate)
        || (first.column.is_some() && decl.column.is_some() && first.column != decl.column)
    {
        let key = if first.aggregate != decl.aggregate {
            "aggregate"
        } else {
            "column"
        };
        let show = |d: &InputDecl| match key {
            "aggregate" => d.aggregate.map(|a| a.to_string()).unwrap_or_default(),
            _ => d.column.clone().unwrap_or_default(),
        };
        // A column is placed where it is written, which may be another file than the
        // declaration (a team's file that changes a standard definition).
        let at = |d: &InputDecl| match key {
            "column" => d.column_at(),
            _ => d.location(),
        };
        let problem = Diagnostic::error(
            Problem::InputSettingConflict {
                input: name.to_string(),
                key,
                value: show(&decl),
                other_value: show(&first),
                other: at(&first).path,
            },
            Some(at(&decl)),
        );
        return Err((first, problem));
    }
    // The first description given wins; a later file may add an aggregate or a column the
    // first did not give. The first is shared as it is when the later adds nothing.
    let adds = |mine: bool, theirs: bool| !mine && theirs;
    if !adds(first.name.is_some(), decl.name.is_some())
        && !adds(first.description.is_some(), decl.description.is_some())
        && !adds(first.column.is_some(), decl.column.is_some())
        && !adds(first.aggregate.is_some(), decl.aggregate.is_some())
    {
        return Ok(first);
    }
    let mut merged = Arc::unwrap_or_clone(first);
    let decl = Arc::unwrap_or_clone(decl);
    if merged.column.is_none() {
        (merged.column, merged.column_written) = (decl.column, decl.column_written);
    }
    merged.name = merged.name.or(decl.name);
    merged.description = merged.description.or(decl.description);
    merged.aggregate = merged.aggregate.or(decl.aggregate);
    Ok(Arc::new(merged))
}

/// Keeps the first [`MAX_SHOWN`] diagnostics of each file (sorted, so a file's are
/// together), then one that counts the others, as for a data source.
fn at_most_per_file(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let path = |d: &Diagnostic| d.location.as_ref().map(|l| l.path.clone());
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len().min(4 * MAX_SHOWN));
    let mut run: Option<(PathBuf, usize, usize, bool)> = None; // path, kept, dropped, errors
    let close = |run: &mut Option<(PathBuf, usize, usize, bool)>, out: &mut Vec<Diagnostic>| {
        if let Some((file, _, dropped, errors)) = run.take().filter(|r| r.2 > 0) {
            let problem = Problem::MoreProblems {
                count: dropped,
                from: format!("`{}`", file.display()),
            };
            out.push(if errors {
                Diagnostic::error(problem, None)
            } else {
                Diagnostic::warning(problem, None)
            });
        }
    };
    for d in diagnostics {
        let Some(file) = path(&d) else {
            close(&mut run, &mut out);
            out.push(d);
            continue;
        };
        if run.as_ref().is_none_or(|r| r.0 != file) {
            close(&mut run, &mut out);
            run = Some((file, 0, 0, false));
        }
        let r = run.as_mut().expect("just set");
        if r.1 < MAX_SHOWN {
            r.1 += 1;
            out.push(d);
        } else {
            r.2 += 1;
            r.3 |= d.is_error();
        }
    }
    close(&mut run, &mut out);
    out
}

/// Sorts diagnostics by file, line and column so that output is stable.
pub(crate) fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (l.path.clone(), l.line, l.column))
        };
        key(a).cmp(&key(b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, formula: &str, extra: &str) -> SourceFile {
        SourceFile::new(
            path,
            format!(
                "name = \"N\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"{formula}\"\n{extra}"
            ),
        )
    }

    fn build(layers: Vec<Vec<SourceFile>>) -> Result<Catalog, Vec<String>> {
        Catalog::from_layers(layers, Diagnostics::default())
            .map_err(|d| d.0.iter().map(ToString::to_string).collect())
    }

    const INPUTS: &str = "[inputs.a]\nunit = \"count\"\n[inputs.sessions]\nunit = \"count\"\n";

    #[test]
    fn the_number_of_definitions_is_bounded() {
        let dir = std::env::temp_dir().join(format!("kpi-limit-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        for i in 0..3 {
            fs::write(dir.join(format!("m{i}.toml")), "").unwrap();
        }
        let result = Catalog::load_at_most(None, std::slice::from_ref(&dir), 2);
        fs::remove_dir_all(&dir).unwrap();
        let errors: Vec<String> = result
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors, ["3 definitions exceed the limit of 2"]);
    }

    #[test]
    fn orders_dependencies_first() {
        let c = build(vec![vec![
            file("d/x.toml", "y + 1", ""),
            file("d/y.toml", "z * 2", ""),
            file("d/z.toml", "a", INPUTS),
        ]])
        .unwrap();
        let ids: Vec<_> = c
            .evaluation_order()
            .map(|m| c.metric_at(m).id.as_str())
            .collect();
        assert_eq!(ids, ["z", "y", "x"]);
    }

    #[test]
    fn unknown_name_suggests_closest() {
        let errs = build(vec![vec![file("d/x.toml", "a / sesions", INPUTS)]]).unwrap_err();
        assert_eq!(
            errs,
            ["d/x.toml:5:16: unknown name `sesions` in the formula of `x`"]
        );
    }

    #[test]
    fn cycle_names_every_member() {
        let errs = build(vec![vec![
            file("d/x.toml", "y", ""),
            file("d/y.toml", "prev(z)", ""),
            file("d/z.toml", "x + a", INPUTS),
        ]])
        .unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].ends_with("metrics depend on each other in a cycle: x → y → z → x"),
            "{errs:?}"
        );
    }

    #[test]
    fn a_cycle_is_reported_beside_other_errors() {
        let errs = build(vec![vec![
            file("d/x.toml", "y", ""),
            file("d/y.toml", "x", ""),
            file("d/z.toml", "nope", INPUTS),
        ]])
        .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].ends_with("cycle: x → y → x"), "{errs:?}");
        assert!(errs[1].contains("unknown name `nope`"), "{errs:?}");
    }

    #[test]
    fn later_directory_overrides_with_a_note() {
        let c = build(vec![
            vec![file("std/x.toml", "a", INPUTS)],
            vec![file("team/x.toml", "a * 2", "")],
        ])
        .unwrap();
        assert_eq!(c.metric("x").unwrap().formula.text, "a * 2");
        assert_eq!(c.notes().len(), 1);
        assert!(
            c.notes()[0]
                .to_string()
                .contains("`x` overrides the definition in `std/x.toml`")
        );
    }

    #[test]
    fn duplicate_id_in_one_directory() {
        let errs = build(vec![vec![
            file("d/x.toml", "a", INPUTS),
            file("d/y.toml", "a", "id = \"x\"\n"),
        ]])
        .unwrap_err();
        assert!(
            errs[0]
                .contains("metric `x` is defined twice in the same directory (also in `d/x.toml`)"),
            "{errs:?}"
        );
    }

    #[test]
    fn input_unit_conflict_names_both_files() {
        let errs = build(vec![vec![
            file("d/x.toml", "a", "[inputs.a]\nunit = \"count\"\n"),
            file("d/y.toml", "a", "[inputs.a]\nunit = \"currency\"\n"),
        ]])
        .unwrap_err();
        assert_eq!(
            errs,
            ["d/y.toml:6:1: input `a` is declared as `currency` here and as `count` in `d/x.toml`"]
        );
    }
}
