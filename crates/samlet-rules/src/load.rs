//! Loading a rule-set directory: YAML structure, names, expression syntax, types and cycles are
//! all checked here so that nothing fails for a structural reason while deciding a case.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use samlet_i18n::{Content, Lang};

use crate::error::{ErrorKind, LoadError};
use crate::expr::{self, BinOp, Expr, ExprKind, Span, KEYWORDS};
use crate::model::*;
use crate::value::{parse_date, parse_decimal, Base, Label, Value, ValueType};
use crate::yaml::{Node, NodeKind, Reader, Source};

/// Loads and checks every `*.yaml`/`*.yml` file directly inside `dir` and its messages in
/// `locales/<lang>/*.ftl` (the `tests/` folder is not read here; see [`RuleSet::run_tests`]).
pub fn load_rule_set(dir: impl AsRef<Path>) -> Result<RuleSet, LoadError> {
    let dir = dir.as_ref();
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        let is_yaml = matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
        if is_yaml && p.is_file() {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Invalid {
            path: dir.to_path_buf(),
            message: "no rule files (*.yaml) found in this directory".into(),
        });
    }
    let mut sources = files
        .into_iter()
        .map(Source::read)
        .collect::<Result<Vec<_>, _>>()?;
    sources.extend(read_locales(dir)?);
    load_sources(dir, &sources)
}

/// Every `locales/<lang>/*.ftl` file under `dir` (none if there is no `locales` directory).
pub fn read_locales(dir: &Path) -> Result<Vec<Source>, LoadError> {
    let locales = dir.join("locales");
    let mut out = Vec::new();
    if !locales.is_dir() {
        return Ok(out);
    }
    let io = |source| LoadError::Io {
        path: locales.clone(),
        source,
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&locales)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    dirs.sort();
    for lang_dir in dirs.into_iter().filter(|d| d.is_dir()) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&lang_dir)
            .map_err(io)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        files.sort();
        for f in files.into_iter().filter(|f| is_ftl(f)) {
            out.push(Source::read(f)?);
        }
    }
    Ok(out)
}

/// Whether a file is a Fluent message file (`*.ftl`).
pub fn is_ftl(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "ftl")
}

/// The content catalogue built from the `locales/<lang>/*.ftl` files among `files`. A directory
/// named for a language Samlet does not speak is an error, not silently skipped.
pub fn load_messages(dir: &Path, files: &[Source]) -> Result<Content, LoadError> {
    let mut sources = Vec::new();
    for s in files.iter().filter(|s| is_ftl(&s.path)) {
        let code = s
            .path
            .parent()
            .and_then(Path::file_name)
            .map(|c| c.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lang = Lang::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| LoadError::Invalid {
                path: s.path.clone(),
                message: format!(
                    "`{code}` is not a language Samlet speaks (locales/<lang>/ is one of nb, nn, en, da)"
                ),
            })?;
        let name = s.path.file_name().map(|f| f.to_string_lossy().into_owned());
        sources.push((lang, name.unwrap_or_default(), s.text.as_str()));
    }
    Content::new(sources).map_err(|e| LoadError::Invalid {
        path: dir.join("locales"),
        message: e.to_string(),
    })
}

/// Checks that every message id in `used` is in every language of `content`.
pub fn check_messages<'a>(
    dir: &Path,
    content: &Content,
    used: impl IntoIterator<Item = &'a str>,
) -> Result<(), LoadError> {
    content.check(used).map_err(|e| LoadError::Invalid {
        path: dir.join("locales"),
        message: e.to_string(),
    })
}

/// Loads a rule set from in-memory files (used by tests and tools that keep rules elsewhere):
/// YAML, and messages as `locales/<lang>/*.ftl` paths.
pub fn load_rule_set_from_files(
    dir: impl AsRef<Path>,
    files: &[(PathBuf, String)],
) -> Result<RuleSet, LoadError> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(p, t)| Source {
            path: p.clone(),
            text: t.clone(),
        })
        .collect();
    load_sources(dir.as_ref(), &sources)
}

/// A definition seen in some file, before compilation.
struct Pending<'n> {
    file: usize,
    node: &'n Node,
}

struct RawRule<'n> {
    id: String,
    at: Pending<'n>,
    expr_node: &'n Node,
    kind: RuleKind,
    entity: Entity,
    ty: Option<(ValueType, &'n Node)>,
    label: Label,
    explain: Option<Label>,
    reference: String,
    output: bool,
    ast: Expr,
}

#[derive(Clone, Copy)]
enum Sym {
    Input(usize),
    Param(usize),
    Table(usize),
    Rule(usize),
}

/// The rule set's messages and the ids its YAML uses (checked once every file is read, so a
/// translator sees every missing message at once).
struct Messages {
    content: Content,
    used: RefCell<Vec<String>>,
}

/// A label: a message id, or the item's own name when it has none.
fn label(m: &Messages, r: &Reader, node: Option<&Node>, default: &str) -> Result<Label, LoadError> {
    let Some(n) = node else {
        return Ok(Label::literal(default));
    };
    match &n.kind {
        NodeKind::Scalar(..) => {
            let id = r.str(n, "a label")?;
            m.used.borrow_mut().push(id.to_owned());
            Ok(Label::from_content(&m.content, id))
        }
        _ => Err(r.err(
            n,
            ErrorKind::Structure,
            format!(
                "expected a message id for a label (its texts go in locales/<lang>/*.ftl), found {}",
                n.describe()
            ),
        )),
    }
}

fn check_name(r: &Reader, key: &Node) -> Result<String, LoadError> {
    let s = r.str(key, "a name")?;
    let ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(r.err(
            key,
            ErrorKind::Structure,
            format!(
                "`{s}` is not a valid name; use letters, digits and `_`, starting with a letter"
            ),
        ));
    }
    if s == "id" {
        return Err(r.err(
            key,
            ErrorKind::Structure,
            "`id` is reserved for household and member identifiers and cannot be a name",
        ));
    }
    if KEYWORDS.contains(&s) {
        return Err(r.err(
            key,
            ErrorKind::Structure,
            format!("`{s}` is a reserved word of the expression language and cannot be a name"),
        ));
    }
    Ok(s.to_string())
}

fn value_type(r: &Reader, n: &Node) -> Result<ValueType, LoadError> {
    let s = r.str(n, "a type")?;
    ValueType::parse(s).ok_or_else(|| {
        r.err(
            n,
            ErrorKind::Value,
            format!("unknown type `{s}`; expected one of: {}", ValueType::NAMES),
        )
    })
}

fn typed_value(r: &Reader, n: &Node, ty: ValueType, what: &str) -> Result<Value, LoadError> {
    let s = r.str(n, what)?;
    ty.parse_value(s)
        .map_err(|m| r.err(n, ErrorKind::Value, format!("{what}: {m}")))
}

fn load_sources(dir: &Path, files: &[Source]) -> Result<RuleSet, LoadError> {
    let msgs = Messages {
        content: load_messages(dir, files)?,
        used: RefCell::new(Vec::new()),
    };
    let files: Vec<Source> = files.iter().filter(|s| !is_ftl(&s.path)).cloned().collect();
    let files = &files[..];
    let mut roots = Vec::new();
    for src in files {
        roots.push(src.parse()?);
    }

    let mut meta_node: Option<Pending> = None;
    let mut sources: Vec<SourceDef> = Vec::new();
    let mut inputs: Vec<InputDef> = Vec::new();
    let mut input_src_nodes: Vec<(usize, Option<&Node>)> = Vec::new();
    let mut params: Vec<ParamDef> = Vec::new();
    let mut tables: Vec<TableDef> = Vec::new();
    let mut raw_rules: Vec<RawRule> = Vec::new();
    let mut names: HashMap<String, (Sym, usize, crate::yaml::Pos)> = HashMap::new();

    let declare = |names: &mut HashMap<String, (Sym, usize, crate::yaml::Pos)>,
                   r: &Reader,
                   file: usize,
                   key: &Node,
                   id: &str,
                   sym: Sym|
     -> Result<(), LoadError> {
        if let Some((_, f, p)) = names.get(id) {
            return Err(r.err(
                key,
                ErrorKind::Duplicate,
                format!(
                    "`{id}` is already defined at {}:{}:{}; names of inputs, parameters, tables and rules must be unique",
                    files[*f].path.display(),
                    p.line,
                    p.col
                ),
            ));
        }
        names.insert(id.to_string(), (sym, file, key.pos));
        Ok(())
    };

    for (fi, root) in roots.iter().enumerate() {
        let Some(root) = root else { continue };
        let r = Reader { src: &files[fi] };
        let top = r.fields(
            root,
            "a rule file",
            &[
                "ruleset",
                "sources",
                "inputs",
                "parameters",
                "tables",
                "rules",
            ],
            &[],
        )?;
        if let Some(n) = top.get("ruleset") {
            if meta_node.is_some() {
                return Err(r.err(
                    n,
                    ErrorKind::Duplicate,
                    "`ruleset:` is given in more than one file",
                ));
            }
            meta_node = Some(Pending { file: fi, node: n });
        }
        if let Some(n) = top.get("sources") {
            for (k, v) in r.map(n, "`sources`")? {
                // Source ids are register names such as `A-ordningen`, not expression names.
                let id = r.str(k, "a source name")?.to_string();
                if sources.iter().any(|s| s.id == id) {
                    return Err(r.err(
                        k,
                        ErrorKind::Duplicate,
                        format!("source `{id}` is defined twice"),
                    ));
                }
                let f = r.fields(
                    v,
                    &format!("source `{id}`"),
                    &["label", "authoritative", "quality", "description"],
                    &["authoritative"],
                )?;
                sources.push(SourceDef {
                    id: id.clone(),
                    label: label(&msgs, &r, f.get("label"), &id)?,
                    authoritative: r
                        .bool(f.get("authoritative").unwrap_or(v), "`authoritative`")?,
                    quality: f
                        .get("quality")
                        .map(|q| r.str(q, "`quality`"))
                        .transpose()?
                        .map(str::to_string),
                });
            }
        }
        if let Some(n) = top.get("inputs") {
            for (k, v) in r.map(n, "`inputs`")? {
                let id = check_name(&r, k)?;
                declare(&mut names, &r, fi, k, &id, Sym::Input(inputs.len()))?;
                let what = format!("input `{id}`");
                let f = r.fields(
                    v,
                    &what,
                    &[
                        "entity",
                        "type",
                        "source",
                        "label",
                        "description",
                        "reference",
                    ],
                    &["entity", "type", "source"],
                )?;
                let en = f.get("entity").unwrap_or(v);
                let entity = match r.str(en, "`entity`")? {
                    "person" => Entity::Person,
                    "household" => Entity::Household,
                    other => {
                        return Err(r.err(
                            en,
                            ErrorKind::Value,
                            format!("unknown entity `{other}`; expected `person` or `household`"),
                        ))
                    }
                };
                inputs.push(InputDef {
                    id: id.clone(),
                    label: label(&msgs, &r, f.get("label"), &id)?,
                    entity,
                    ty: value_type(&r, f.get("type").unwrap_or(v))?,
                    source: None,
                    reference: f
                        .get("reference")
                        .map(|q| r.str(q, "`reference`"))
                        .transpose()?
                        .map(str::to_string),
                    slot: 0,
                });
                input_src_nodes.push((fi, f.get("source")));
            }
        }
        if let Some(n) = top.get("parameters") {
            for (k, v) in r.map(n, "`parameters`")? {
                let id = check_name(&r, k)?;
                declare(&mut names, &r, fi, k, &id, Sym::Param(params.len()))?;
                let what = format!("parameter `{id}`");
                let f = r.fields(
                    v,
                    &what,
                    &["type", "label", "reference", "description", "values"],
                    &["type", "reference", "values"],
                )?;
                let ty = value_type(&r, f.get("type").unwrap_or(v))?;
                let vn = f.get("values").unwrap_or(v);
                let mut values: Vec<(NaiveDate, Value)> = Vec::new();
                for (dk, dv) in r.map(vn, &format!("the values of {what} (date: value)"))? {
                    let ds = r.str(dk, "a date")?;
                    let d = parse_date(ds).ok_or_else(|| {
                        r.err(dk, ErrorKind::Value, format!("expected a date YYYY-MM-DD from which the value applies, found `{ds}`"))
                    })?;
                    values.push((d, typed_value(&r, dv, ty, &format!("value of {what}"))?));
                }
                if values.is_empty() {
                    return Err(r.err(vn, ErrorKind::Structure, format!("{what} has no values")));
                }
                values.sort_by_key(|(d, _)| *d);
                params.push(ParamDef {
                    id: id.clone(),
                    label: label(&msgs, &r, f.get("label"), &id)?,
                    ty,
                    reference: r
                        .str(f.get("reference").unwrap_or(v), "`reference`")?
                        .to_string(),
                    values,
                });
            }
        }
        if let Some(n) = top.get("tables") {
            for (k, v) in r.map(n, "`tables`")? {
                let id = check_name(&r, k)?;
                declare(&mut names, &r, fi, k, &id, Sym::Table(tables.len()))?;
                let what = format!("table `{id}`");
                let f = r.fields(
                    v,
                    &what,
                    &["type", "label", "reference", "description", "key", "rows"],
                    &["type", "reference", "rows"],
                )?;
                let ty = value_type(&r, f.get("type").unwrap_or(v))?;
                let mut rows = Vec::new();
                for row in r.seq(f.get("rows").unwrap_or(v), &format!("the rows of {what}"))? {
                    let rf = r.fields(
                        row,
                        &format!("a row of {what}"),
                        &["from", "to", "value"],
                        &["value"],
                    )?;
                    let bound = |key: &str| -> Result<Option<Decimal>, LoadError> {
                        match rf.get(key) {
                            None => Ok(None),
                            Some(b) if b.is_null() => Ok(None),
                            Some(b) => {
                                let s = r.str(b, key)?;
                                parse_decimal(s).map(Some).ok_or_else(|| {
                                    r.err(
                                        b,
                                        ErrorKind::Value,
                                        format!("expected a number for `{key}`, found `{s}`"),
                                    )
                                })
                            }
                        }
                    };
                    let (from, to) = (bound("from")?, bound("to")?);
                    if let (Some(a), Some(b)) = (from, to) {
                        if a > b {
                            return Err(r.err(
                                row,
                                ErrorKind::Value,
                                format!("row range {a}–{b} is empty: `from` is above `to`"),
                            ));
                        }
                    }
                    rows.push((
                        TableRow {
                            from,
                            to,
                            value: typed_value(
                                &r,
                                rf.get("value").unwrap_or(row),
                                ty,
                                "row value",
                            )?,
                        },
                        row,
                    ));
                }
                // Overlapping rows would make the decision ambiguous.
                for i in 0..rows.len() {
                    for j in 0..i {
                        let (a, b) = (&rows[i].0, &rows[j].0);
                        let lo_ok = |x: &TableRow, y: &TableRow| match (x.to, y.from) {
                            (Some(t), Some(f)) => t < f,
                            _ => false,
                        };
                        if !(lo_ok(a, b) || lo_ok(b, a)) {
                            return Err(r.err(
                                rows[i].1,
                                ErrorKind::Value,
                                format!("this row of {what} overlaps row {}", j + 1),
                            ));
                        }
                    }
                }
                tables.push(TableDef {
                    id: id.clone(),
                    label: label(&msgs, &r, f.get("label"), &id)?,
                    ty,
                    reference: r
                        .str(f.get("reference").unwrap_or(v), "`reference`")?
                        .to_string(),
                    rows: rows.into_iter().map(|(row, _)| row).collect(),
                });
            }
        }
        if let Some(n) = top.get("rules") {
            for (k, v) in r.map(n, "`rules`")? {
                let id = check_name(&r, k)?;
                declare(&mut names, &r, fi, k, &id, Sym::Rule(raw_rules.len()))?;
                let what = format!("rule `{id}`");
                let f = r.fields(
                    v,
                    &what,
                    &[
                        "entity",
                        "condition",
                        "formula",
                        "type",
                        "label",
                        "explain",
                        "reference",
                        "description",
                        "output",
                    ],
                    &["reference"],
                )?;
                let (kind, expr_node) = match (f.get("condition"), f.get("formula")) {
                    (Some(c), None) => (RuleKind::Condition, c),
                    (None, Some(fo)) => (RuleKind::Formula, fo),
                    (Some(_), Some(_)) => {
                        return Err(r.err(
                            v,
                            ErrorKind::Structure,
                            format!("{what} has both `condition` and `formula`; give exactly one"),
                        ))
                    }
                    (None, None) => {
                        return Err(r.err(
                            v,
                            ErrorKind::Structure,
                            format!("{what} needs a `condition` or a `formula`"),
                        ))
                    }
                };
                let entity = match f.get("entity") {
                    None => Entity::Household,
                    Some(en) => match r.str(en, "`entity`")? {
                        "person" => Entity::Person,
                        "household" => Entity::Household,
                        other => {
                            return Err(r.err(
                                en,
                                ErrorKind::Value,
                                format!(
                                    "unknown entity `{other}`; expected `person` or `household`"
                                ),
                            ))
                        }
                    },
                };
                let text = r.str(expr_node, "the expression")?;
                let src = &files[fi];
                let ast = expr::parse(text).map_err(|e| {
                    src.err(
                        src.locate(expr_node, e.span.0),
                        ErrorKind::Expression,
                        format!("in {what}: {}", e.message),
                    )
                })?;
                raw_rules.push(RawRule {
                    id: id.clone(),
                    at: Pending { file: fi, node: k },
                    expr_node,
                    kind,
                    entity,
                    ty: f
                        .get("type")
                        .map(|t| value_type(&r, t).map(|vt| (vt, t)))
                        .transpose()?,
                    label: label(&msgs, &r, f.get("label"), &id)?,
                    explain: f
                        .get("explain")
                        .map(|e| label(&msgs, &r, Some(e), ""))
                        .transpose()?,
                    reference: r
                        .str(f.get("reference").unwrap_or(v), "`reference`")?
                        .to_string(),
                    output: f
                        .get("output")
                        .map(|o| r.bool(o, "`output`"))
                        .transpose()?
                        .unwrap_or(false),
                    ast,
                });
            }
        }
    }

    // Inputs' sources.
    for (i, (fi, sn)) in input_src_nodes.iter().enumerate() {
        let r = Reader { src: &files[*fi] };
        let Some(sn) = sn else { continue };
        let s = r.str(sn, "`source`")?;
        if s == "none" {
            continue;
        }
        match sources.iter().position(|x| x.id == s) {
            Some(si) => inputs[i].source = Some(si),
            None => {
                let known: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
                return Err(r.err(
                    sn,
                    ErrorKind::UnknownName,
                    format!(
                        "unknown source `{s}` for input `{}`; declare it under `sources:` or write `none` (known: {})",
                        inputs[i].id,
                        if known.is_empty() { "none declared".to_string() } else { known.join(", ") }
                    ),
                ));
            }
        }
    }

    // Slots per entity.
    let mut hh_inputs = Vec::new();
    let mut p_inputs = Vec::new();
    for (i, inp) in inputs.iter_mut().enumerate() {
        match inp.entity {
            Entity::Household => {
                inp.slot = hh_inputs.len();
                hh_inputs.push(i);
            }
            Entity::Person => {
                inp.slot = p_inputs.len();
                p_inputs.push(i);
            }
        }
    }

    // Resolve names, find rule dependencies.
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(raw_rules.len());
    for rr in &raw_rules {
        let src = &files[rr.at.file];
        let mut used = Vec::new();
        rr.ast.names(&mut used);
        let mut d = Vec::new();
        for (n, span) in used {
            match names.get(&n) {
                Some((Sym::Rule(j), ..)) => {
                    if !d.contains(j) {
                        d.push(*j)
                    }
                }
                Some(_) => {}
                None => {
                    return Err(src.err(
                        src.locate(rr.expr_node, span.0),
                        ErrorKind::UnknownName,
                        format!(
                        "in rule `{}`: `{n}` is not a declared input, parameter, table or rule{}",
                        rr.id,
                        suggest(&n, names.keys())
                    ),
                    ))
                }
            }
        }
        deps.push(d);
    }

    // Cycles and dependency order (depth-first, so dependencies come first).
    let order = topo_order(&raw_rules, &deps, files)?;

    // Slots for rules.
    let mut slot_of = vec![0usize; raw_rules.len()];
    let (mut n_hh, mut n_p) = (0usize, 0usize);
    for &i in &order {
        match raw_rules[i].entity {
            Entity::Household => {
                slot_of[i] = n_hh;
                n_hh += 1;
            }
            Entity::Person => {
                slot_of[i] = n_p;
                n_p += 1;
            }
        }
    }

    // Compile in dependency order; rules are stored in that order.
    let mut new_index = vec![0usize; raw_rules.len()];
    for (ni, &oi) in order.iter().enumerate() {
        new_index[oi] = ni;
    }
    let mut compiled: Vec<RuleDef> = Vec::with_capacity(raw_rules.len());
    let mut bases: Vec<Option<Base>> = vec![None; raw_rules.len()];
    for &oi in &order {
        let rr = &raw_rules[oi];
        let src = &files[rr.at.file];
        let mut c = Compiler {
            names: &names,
            inputs: &inputs,
            params: &params,
            tables: &tables,
            raw: &raw_rules,
            bases: &bases,
            slot_of: &slot_of,
            person_rule: rr.entity == Entity::Person,
            input_deps: Vec::new(),
        };
        let (code, base) =
            c.compile(&rr.ast, rr.entity == Entity::Person)
                .map_err(|(span, kind, m)| {
                    src.err(
                        src.locate(rr.expr_node, span.0),
                        kind,
                        format!("in rule `{}`: {m}", rr.id),
                    )
                })?;
        let input_deps = c.input_deps;
        if rr.kind == RuleKind::Condition && base != Base::Bool {
            return Err(src.err(src.locate(rr.expr_node, 0), ErrorKind::Type, format!("rule `{}` is a `condition` but its expression gives {base}; use `formula:` or compare with = < >", rr.id)));
        }
        if let Some((vt, tn)) = rr.ty {
            if vt.base() != base {
                return Err(src.err(
                    tn.pos,
                    ErrorKind::Type,
                    format!(
                        "rule `{}` is declared `{}` but its expression gives {base}",
                        rr.id,
                        vt.name()
                    ),
                ));
            }
        }
        bases[oi] = Some(base);
        compiled.push(RuleDef {
            id: rr.id.clone(),
            label: rr.label.clone(),
            explain: rr.explain.clone(),
            entity: rr.entity,
            kind: rr.kind,
            ty: rr.ty.map(|(t, _)| t).or(if base == Base::Bool {
                Some(ValueType::Boolean)
            } else {
                None
            }),
            base,
            reference: rr.reference.clone(),
            source_text: src_text(rr.expr_node),
            output: rr.output,
            slot: slot_of[oi],
            code,
            deps: deps[oi].iter().map(|&d| new_index[d]).collect(),
            input_deps,
        });
    }
    let mut hh_rules = vec![0; n_hh];
    let mut p_rules = vec![0; n_p];
    for (i, r) in compiled.iter().enumerate() {
        match r.entity {
            Entity::Household => hh_rules[r.slot] = i,
            Entity::Person => p_rules[r.slot] = i,
        }
    }

    // Metadata.
    let default_id = dir
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("rules")
        .to_string();
    let mut meta = Meta {
        id: default_id.clone(),
        name: Label::literal(&default_id),
        description: None,
        note: None,
        main_output: None,
    };
    if let Some(p) = meta_node {
        let r = Reader {
            src: &files[p.file],
        };
        let f = r.fields(
            p.node,
            "`ruleset`",
            &["id", "name", "description", "note", "period", "main_output"],
            &[],
        )?;
        if let Some(n) = f.get("id") {
            meta.id = r.str(n, "`id`")?.to_string();
        }
        meta.name = label(&msgs, &r, f.get("name"), &meta.id)?;
        meta.description = f
            .get("description")
            .map(|n| label(&msgs, &r, Some(n), ""))
            .transpose()?;
        meta.note = f
            .get("note")
            .map(|n| label(&msgs, &r, Some(n), ""))
            .transpose()?;
        if let Some(n) = f.get("period") {
            let s = r.str(n, "`period`")?;
            if s != "month" {
                return Err(r.err(
                    n,
                    ErrorKind::Value,
                    format!("unsupported period `{s}`; only `month` is supported"),
                ));
            }
        }
        if let Some(n) = f.get("main_output") {
            let s = r.str(n, "`main_output`")?;
            let idx = compiled.iter().position(|x| x.id == s).ok_or_else(|| {
                r.err(
                    n,
                    ErrorKind::UnknownName,
                    format!("`main_output` names `{s}`, which is not a rule"),
                )
            })?;
            let rule = &compiled[idx];
            if rule.entity != Entity::Household || rule.base != Base::Number {
                return Err(r.err(n, ErrorKind::Type, format!("`main_output` must be a household-level rule giving a number; `{s}` is not")));
            }
            meta.main_output = Some(idx);
        }
    }

    check_messages(
        dir,
        &msgs.content,
        msgs.used.borrow().iter().map(String::as_str),
    )?;
    Ok(RuleSet {
        dir: dir.to_path_buf(),
        meta,
        sources,
        inputs,
        params,
        tables,
        rules: compiled,
        hh_inputs,
        p_inputs,
        hh_rules,
        p_rules,
    })
}

fn src_text(n: &Node) -> String {
    match &n.kind {
        NodeKind::Scalar(s, _) => s.trim().to_string(),
        _ => String::new(),
    }
}

fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> String {
    // A cheap "did you mean": same prefix of 4 or one containing the other.
    let lower = name.to_lowercase();
    let mut best: Option<&String> = None;
    for k in known {
        let kl = k.to_lowercase();
        if kl.contains(&lower)
            || lower.contains(&kl)
            || (kl.len() > 3 && lower.len() > 3 && kl[..4] == lower[..4])
        {
            best = Some(k);
            break;
        }
    }
    best.map(|b| format!(" (did you mean `{b}`?)"))
        .unwrap_or_default()
}

fn topo_order(
    raw: &[RawRule],
    deps: &[Vec<usize>],
    files: &[Source],
) -> Result<Vec<usize>, LoadError> {
    #[derive(Clone, Copy, PartialEq)]
    enum C {
        White,
        Grey,
        Black,
    }
    let mut color = vec![C::White; raw.len()];
    let mut order = Vec::with_capacity(raw.len());
    // Iterative DFS to be safe with long chains.
    for start in 0..raw.len() {
        if color[start] != C::White {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        color[start] = C::Grey;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if *next < deps[node].len() {
                let d = deps[node][*next];
                *next += 1;
                match color[d] {
                    C::White => {
                        color[d] = C::Grey;
                        stack.push((d, 0));
                    }
                    C::Grey => {
                        let pos = stack.iter().position(|(n, _)| *n == d).unwrap_or(0);
                        let mut path: Vec<&str> = stack[pos..]
                            .iter()
                            .map(|(n, _)| raw[*n].id.as_str())
                            .collect();
                        path.push(raw[d].id.as_str());
                        let rr = &raw[d];
                        let src = &files[rr.at.file];
                        return Err(src.err(
                            rr.at.node.pos,
                            ErrorKind::Cycle,
                            format!(
                                "rules depend on each other in a circle: {}",
                                path.join(" → ")
                            ),
                        ));
                    }
                    C::Black => {}
                }
            } else {
                color[node] = C::Black;
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(order)
}

type CErr = (Span, ErrorKind, String);

struct Compiler<'a, 'n> {
    names: &'a HashMap<String, (Sym, usize, crate::yaml::Pos)>,
    inputs: &'a [InputDef],
    params: &'a [ParamDef],
    tables: &'a [TableDef],
    raw: &'a [RawRule<'n>],
    bases: &'a [Option<Base>],
    slot_of: &'a [usize],
    person_rule: bool,
    input_deps: Vec<usize>,
}

fn terr(span: Span, m: impl Into<String>) -> CErr {
    (span, ErrorKind::Type, m.into())
}

impl Compiler<'_, '_> {
    fn typed(&mut self, e: &Expr, member: bool, want: Base, what: &str) -> Result<CExpr, CErr> {
        let (c, b) = self.compile(e, member)?;
        if b != want {
            return Err(terr(
                e.span,
                format!("{what} must be {want}, but this is {b}"),
            ));
        }
        Ok(c)
    }

    fn compile(&mut self, e: &Expr, member: bool) -> Result<(CExpr, Base), CErr> {
        Ok(match &e.kind {
            ExprKind::Number(d) => (CExpr::Const(Value::Number(*d)), Base::Number),
            ExprKind::Text(s) => (CExpr::Const(Value::text(s)), Base::Text),
            ExprKind::Bool(b) => (CExpr::Const(Value::Bool(*b)), Base::Bool),
            ExprKind::Field(_, f) => (
                if f == "start" {
                    CExpr::PeriodStart
                } else {
                    CExpr::PeriodEnd
                },
                Base::Date,
            ),
            ExprKind::Name(n) => {
                let Some((sym, ..)) = self.names.get(n) else {
                    return Err((
                        e.span,
                        ErrorKind::UnknownName,
                        format!("unknown name `{n}`"),
                    ));
                };
                match *sym {
                    Sym::Input(i) => {
                        let inp = &self.inputs[i];
                        if !self.input_deps.contains(&i) {
                            self.input_deps.push(i);
                        }
                        match inp.entity {
                            Entity::Household => (CExpr::HhInput(inp.slot), inp.ty.base()),
                            Entity::Person if member => (CExpr::PInput(inp.slot), inp.ty.base()),
                            Entity::Person => {
                                return Err(terr(e.span, format!("`{n}` is a per-person input; use it inside an aggregate over members, e.g. sum({n} for members) or count(members where ...)")))
                            }
                        }
                    }
                    Sym::Param(i) => (CExpr::Param(i), self.params[i].ty.base()),
                    Sym::Table(_) => {
                        return Err(terr(
                            e.span,
                            format!("`{n}` is a decision table; look it up with lookup({n}, key)"),
                        ))
                    }
                    Sym::Rule(j) => {
                        let rr = &self.raw[j];
                        let base = self.bases[j].ok_or_else(|| {
                            terr(e.span, format!("rule `{n}` is not compiled yet"))
                        })?;
                        match rr.entity {
                            Entity::Household => (CExpr::HhRule(self.slot_of[j]), base),
                            Entity::Person if member => (CExpr::PRule(self.slot_of[j]), base),
                            Entity::Person => {
                                return Err(terr(e.span, format!("`{n}` is a per-person rule; use it inside an aggregate over members, e.g. count(members where {n})")))
                            }
                        }
                    }
                }
            }
            ExprKind::Neg(x) => (
                CExpr::Neg(Box::new(self.typed(
                    x,
                    member,
                    Base::Number,
                    "the operand of `-`",
                )?)),
                Base::Number,
            ),
            ExprKind::Not(x) => (
                CExpr::Not(Box::new(self.typed(
                    x,
                    member,
                    Base::Bool,
                    "the operand of `not`",
                )?)),
                Base::Bool,
            ),
            ExprKind::Binary(op, a, b) => {
                let (ca, ta) = self.compile(a, member)?;
                let (cb, tb) = self.compile(b, member)?;
                let (a2, b2) = (Box::new(ca), Box::new(cb));
                match op {
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                        if ta != Base::Number {
                            return Err(terr(
                                a.span,
                                format!("arithmetic needs numbers, but this is {ta}"),
                            ));
                        }
                        if tb != Base::Number {
                            return Err(terr(
                                b.span,
                                format!("arithmetic needs numbers, but this is {tb}"),
                            ));
                        }
                        let o = match op {
                            BinOp::Add => ArOp::Add,
                            BinOp::Sub => ArOp::Sub,
                            BinOp::Mul => ArOp::Mul,
                            _ => ArOp::Div,
                        };
                        (CExpr::Arith(o, a2, b2), Base::Number)
                    }
                    BinOp::And | BinOp::Or => {
                        if ta != Base::Bool {
                            return Err(terr(
                                a.span,
                                format!("`and`/`or` need conditions, but this is {ta}"),
                            ));
                        }
                        if tb != Base::Bool {
                            return Err(terr(
                                b.span,
                                format!("`and`/`or` need conditions, but this is {tb}"),
                            ));
                        }
                        if *op == BinOp::And {
                            (CExpr::And(a2, b2), Base::Bool)
                        } else {
                            (CExpr::Or(a2, b2), Base::Bool)
                        }
                    }
                    _ => {
                        if ta != tb {
                            return Err(terr(b.span, format!("cannot compare {ta} with {tb}")));
                        }
                        let o = match op {
                            BinOp::Eq => CmpOp::Eq,
                            BinOp::Ne => CmpOp::Ne,
                            BinOp::Lt => CmpOp::Lt,
                            BinOp::Le => CmpOp::Le,
                            BinOp::Gt => CmpOp::Gt,
                            _ => CmpOp::Ge,
                        };
                        if !matches!(o, CmpOp::Eq | CmpOp::Ne)
                            && !matches!(ta, Base::Number | Base::Date)
                        {
                            return Err(terr(
                                e.span,
                                format!("`<`, `>` and the like compare numbers or dates, not {ta}"),
                            ));
                        }
                        (CExpr::Cmp(o, a2, b2), Base::Bool)
                    }
                }
            }
            ExprKind::If(c, t, f) => {
                let cc = self.typed(c, member, Base::Bool, "the condition of `if`")?;
                let (ct, tt) = self.compile(t, member)?;
                let (cf, tf) = self.compile(f, member)?;
                if tt != tf {
                    return Err(terr(f.span, format!("`then` gives {tt} but `else` gives {tf}; both must give the same kind of value")));
                }
                (CExpr::If(Box::new(cc), Box::new(ct), Box::new(cf)), tt)
            }
            ExprKind::Call(name, args) => self.call(e, name, args, member)?,
            ExprKind::Aggregate {
                func,
                value,
                filter,
            } => {
                if member {
                    let why = if self.person_rule {
                        "a per-person rule"
                    } else {
                        "another aggregate"
                    };
                    return Err(terr(
                        e.span,
                        format!("`{func}(... members ...)` cannot be used inside {why}"),
                    ));
                }
                let f = match func.as_str() {
                    "count" => AggFunc::Count,
                    "sum" => AggFunc::Sum,
                    "min" => AggFunc::Min,
                    "max" => AggFunc::Max,
                    "any" => AggFunc::Any,
                    _ => AggFunc::All,
                };
                let cfilter = filter
                    .as_ref()
                    .map(|x| {
                        self.typed(x, true, Base::Bool, "the `where` filter")
                            .map(Box::new)
                    })
                    .transpose()?;
                let (cvalue, base) = match (f, value) {
                    (AggFunc::Count | AggFunc::Any, None) => (
                        None,
                        if f == AggFunc::Count {
                            Base::Number
                        } else {
                            Base::Bool
                        },
                    ),
                    (AggFunc::Count | AggFunc::Any, Some(v)) => {
                        return Err(terr(
                            v.span,
                            format!("`{func}` counts members: write {func}(members where ...)"),
                        ))
                    }
                    (AggFunc::All, Some(v)) => (
                        Some(Box::new(self.typed(
                            v,
                            true,
                            Base::Bool,
                            "the value of `all`",
                        )?)),
                        Base::Bool,
                    ),
                    (_, Some(v)) => (
                        Some(Box::new(self.typed(
                            v,
                            true,
                            Base::Number,
                            &format!("the value of `{func}`"),
                        )?)),
                        Base::Number,
                    ),
                    (_, None) => {
                        return Err(terr(
                            e.span,
                            format!(
                                "`{func}` needs a value: write {func}(value for members where ...)"
                            ),
                        ))
                    }
                };
                (
                    CExpr::Agg {
                        func: f,
                        value: cvalue,
                        filter: cfilter,
                    },
                    base,
                )
            }
        })
    }

    fn call(
        &mut self,
        e: &Expr,
        name: &str,
        args: &[Expr],
        member: bool,
    ) -> Result<(CExpr, Base), CErr> {
        let arity = |n: usize| -> Result<(), CErr> {
            if args.len() != n {
                Err(terr(
                    e.span,
                    format!("`{name}` takes {n} argument(s), got {}", args.len()),
                ))
            } else {
                Ok(())
            }
        };
        Ok(match name {
            "floor" | "ceil" | "round" | "abs" => {
                arity(1)?;
                let f = match name {
                    "floor" => Func1::Floor,
                    "ceil" => Func1::Ceil,
                    "round" => Func1::Round,
                    _ => Func1::Abs,
                };
                (CExpr::F1(f, Box::new(self.typed(&args[0], member, Base::Number, &format!("the argument of `{name}`"))?)), Base::Number)
            }
            "min" | "max" => {
                if args.len() < 2 {
                    return Err(terr(e.span, format!("`{name}` of values takes at least 2 arguments; over members write {name}(value for members)")));
                }
                let cs = args
                    .iter()
                    .map(|a| self.typed(a, member, Base::Number, &format!("each argument of `{name}`")))
                    .collect::<Result<Vec<_>, _>>()?;
                (if name == "min" { CExpr::Min(cs) } else { CExpr::Max(cs) }, Base::Number)
            }
            "age" => {
                arity(2)?;
                let b = self.typed(&args[0], member, Base::Date, "the birth date given to `age`")?;
                let d = self.typed(&args[1], member, Base::Date, "the date given to `age`")?;
                (CExpr::Age(Box::new(b), Box::new(d)), Base::Number)
            }
            "date" => {
                arity(1)?;
                match &args[0].kind {
                    ExprKind::Text(s) => match parse_date(s) {
                        Some(d) => (CExpr::Const(Value::Date(d)), Base::Date),
                        None => return Err((args[0].span, ErrorKind::Value, format!("`{s}` is not a date YYYY-MM-DD"))),
                    },
                    _ => return Err(terr(args[0].span, "`date` takes a text like date(\"2024-09-01\")")),
                }
            }
            "lookup" => {
                arity(2)?;
                let t = match &args[0].kind {
                    ExprKind::Name(n) => match self.names.get(n) {
                        Some((Sym::Table(t), ..)) => *t,
                        Some(_) => return Err(terr(args[0].span, format!("`{n}` is not a decision table"))),
                        None => return Err((args[0].span, ErrorKind::UnknownName, format!("unknown table `{n}`"))),
                    },
                    _ => return Err(terr(args[0].span, "the first argument of `lookup` must be a table name")),
                };
                let k = self.typed(&args[1], member, Base::Number, "the key of `lookup`")?;
                (CExpr::Lookup(t, Box::new(k)), self.tables[t].ty.base())
            }
            _ => {
                return Err((
                    e.span,
                    ErrorKind::UnknownName,
                    format!("unknown function `{name}`; available: floor, ceil, round, abs, min, max, age, date, lookup, count, sum, any, all"),
                ))
            }
        })
    }
}
