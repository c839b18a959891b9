//! **API Boundary**: life events as coherent journeys.
//!
//! A catalogue directory holds `agencies.yaml` (who owns tasks), `facts.yaml` (the data items
//! conditions may use, in the rules-as-code input format, each naming its source) and one file
//! per life event: a journey of tasks with deadlines relative to the event date, an order
//! (`after`) and optional conditions, compiled with `samlet-rules` so a condition that names an
//! unknown fact is rejected when the catalogue is loaded, with file, line and column.
//!
//! Every text is a Fluent message id; the messages are in `locales/<lang>/*.ftl` beside the
//! YAML, one directory per language Samlet speaks, and a catalogue that lacks a message in any
//! language does not load (see `docs/translating.md`).
//!
//! The format is described in `docs/life-events.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};
use samlet_i18n::Content;
use samlet_rules::yaml::{Node, NodeKind, Reader, Source};
use samlet_rules::{is_ftl, ErrorKind, Household, Label, LoadError, Period, RuleSet, Value};
use serde::{Deserialize, Serialize};

mod offers;
mod shipped;
pub use offers::{check_offers, offer_explanation, OfferPeriod, OfferSpec, OfferUnit, Offered};
pub use shipped::shipped_catalogue;

/// A catalogue that could not be loaded. Displays `file:line:column: kind: message`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct CatalogueError(#[from] pub LoadError);

/// A text of the catalogue: its Fluent message id and the message rendered in every language,
/// serialised as `{ "id": …, "nb": …, "nn": …, "en": …, "da": … }`. Rendered when the catalogue
/// is loaded, so a plan stored with its texts can still be shown if the catalogue changes.
pub type Text = Label;

/// An agency that owns tasks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Agency {
    pub key: String,
    /// Organisation number (9 digits).
    pub org: String,
    pub name: Text,
    pub url: Option<String>,
}

/// Who marks a task done.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletedBy {
    /// The owning agency reports it done through the API.
    Agency,
    /// The citizen ticks it off.
    Citizen,
}

/// A deadline relative to the event date: `P0D`, `P14D`, `P6W`, `P2M`, `P1Y`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Relative {
    pub amount: u32,
    /// `D`, `W`, `M` or `Y`.
    pub unit: char,
}

impl Relative {
    pub fn parse(s: &str) -> Option<Self> {
        let rest = s.strip_prefix('P')?;
        let unit = rest.chars().last()?;
        let amount: u32 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
        matches!(unit, 'D' | 'W' | 'M' | 'Y').then_some(Relative { amount, unit })
    }

    /// The date this many days/weeks/months/years after `from`.
    pub fn after(&self, from: NaiveDate) -> Option<NaiveDate> {
        let n = u64::from(self.amount);
        match self.unit {
            'D' => from.checked_add_days(chrono::Days::new(n)),
            'W' => from.checked_add_days(chrono::Days::new(n * 7)),
            'M' => from.checked_add_months(Months::new(self.amount)),
            'Y' => from.checked_add_months(Months::new(self.amount.checked_mul(12)?)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Relative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "P{}{}", self.amount, self.unit)
    }
}

/// One task of a journey.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: String,
    pub title: Text,
    pub description: Option<Text>,
    /// Key into the catalogue's agencies.
    pub agency: String,
    pub due: Option<Relative>,
    pub after: Vec<String>,
    /// The condition as written; `None`: applies to everyone in the journey.
    pub condition: Option<String>,
    pub completed_by: CompletedBy,
    pub link: Option<String>,
    /// The paragraph the task follows from, if any.
    pub reference: Option<String>,
}

/// A life event or business situation.
#[derive(Debug, Clone, Serialize)]
pub struct Journey {
    pub id: String,
    /// `citizen` or `business`.
    pub audience: String,
    pub title: Text,
    pub description: Option<Text>,
    /// Event kinds that start this journey (`death`, `birth`, `move`, …).
    pub triggers: Vec<String>,
    /// For whom, relative to the person of the event: `self`, or a relation such as
    /// `spouse`, `parent`, `child` (the survivors of a death are the relatives).
    pub for_relations: Vec<String>,
    pub tasks: Vec<Task>,
    /// The file it came from.
    pub file: PathBuf,
    #[serde(skip)]
    conditions: Option<RuleSet>,
}

/// The loaded catalogue.
#[derive(Debug)]
pub struct Catalogue {
    pub agencies: BTreeMap<String, Agency>,
    pub journeys: Vec<Journey>,
    /// Proactive offers (`offers.yaml`, optional).
    pub offers: Vec<OfferSpec>,
}

/// A question the citizen can answer: a fact a task's condition needs that no register has
/// (`source: none` in facts.yaml). An answer is self-declared.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub fact: String,
    pub label: Text,
    /// `boolean`, `integer`, `money`, `text`, …
    #[serde(rename = "type")]
    pub ty: String,
    pub reference: Option<String>,
}

/// A task planned for one person: its due date and whether it applies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedTask {
    pub id: String,
    pub title: Text,
    pub description: Option<Text>,
    pub agency: Agency,
    pub due: Option<NaiveDate>,
    pub after: Vec<String>,
    pub completed_by: CompletedBy,
    pub link: Option<String>,
    /// `true` when the condition held; `false` when the platform lacks the data to decide (the
    /// task is shown, marked "may apply to you").
    pub certain: bool,
}

/// Facts about a person or household the platform knows (names as declared in `facts.yaml`).
pub type Facts = BTreeMap<String, Value>;

impl Catalogue {
    pub fn journey(&self, id: &str) -> Option<&Journey> {
        self.journeys.iter().find(|j| j.id == id)
    }

    /// Offers an event of `kind` makes for someone in `relation`.
    pub fn offers_triggered_by<'a>(
        &'a self,
        kind: &'a str,
        relation: &'a str,
    ) -> impl Iterator<Item = &'a OfferSpec> + 'a {
        self.offers.iter().filter(move |o| {
            o.triggers.iter().any(|t| t == kind) && o.for_relations.iter().any(|r| r == relation)
        })
    }

    /// Journeys an event of `kind` starts for someone in `relation` (`self` for the person the
    /// event is about).
    pub fn triggered_by<'a>(
        &'a self,
        kind: &'a str,
        relation: &'a str,
    ) -> impl Iterator<Item = &'a Journey> + 'a {
        self.journeys.iter().filter(move |j| {
            j.triggers.iter().any(|t| t == kind) && j.for_relations.iter().any(|r| r == relation)
        })
    }

    /// The personal checklist: tasks whose condition holds (or cannot be decided for lack of
    /// data), in file order, with due dates counted from `event_date`.
    pub fn plan(
        &self,
        journey: &Journey,
        event_date: NaiveDate,
        facts: &Facts,
    ) -> Vec<PlannedTask> {
        let applies = journey.applicable(event_date, facts);
        journey
            .tasks
            .iter()
            .zip(applies)
            .filter_map(|(t, a)| {
                let certain = a?;
                let agency = self.agencies.get(&t.agency)?.clone();
                Some(PlannedTask {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    description: t.description.clone(),
                    agency,
                    due: t.due.and_then(|d| d.after(event_date)),
                    after: t.after.clone(),
                    completed_by: t.completed_by,
                    link: t.link.clone(),
                    certain,
                })
            })
            .collect()
    }
}

impl Journey {
    /// The facts no register supplies that this journey's conditions use, in facts.yaml order:
    /// the questions the citizen may answer so the checklist can be decided.
    pub fn questions(&self) -> Vec<Question> {
        let Some(rs) = &self.conditions else {
            return Vec::new();
        };
        rs.inputs_report()
            .inputs
            .into_iter()
            .filter(|i| i.source.is_none() && !i.used_by.is_empty())
            .map(|i| Question {
                fact: i.id,
                label: i.label,
                ty: i.ty.name().to_owned(),
                reference: i.reference,
            })
            .collect()
    }

    /// The facts task `task_id`'s condition uses (empty without a condition).
    pub fn task_facts(&self, task_id: &str) -> Vec<String> {
        let (Some(rs), Some(i)) = (
            &self.conditions,
            self.tasks.iter().position(|t| t.id == task_id),
        ) else {
            return Vec::new();
        };
        let name = rule_name(i);
        rs.inputs_report()
            .rules
            .into_iter()
            .find(|r| r.id == name)
            .map(|r| r.inputs)
            .unwrap_or_default()
    }

    /// Per task: `Some(true)` applies, `Some(false)` may apply (missing data), `None` does not.
    fn applicable(&self, event_date: NaiveDate, facts: &Facts) -> Vec<Option<bool>> {
        let period = Period::month(
            chrono::Datelike::year(&event_date),
            chrono::Datelike::month(&event_date),
        );
        self.tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let (Some(_), Some(rs), Some(period)) = (&t.condition, &self.conditions, period)
                else {
                    return Some(true);
                };
                let h = Household {
                    id: String::new(),
                    members: Vec::new(),
                    inputs: facts.clone(),
                };
                let name = rule_name(i);
                match rs.evaluate_rules(&h, period, &[name.as_str()]) {
                    Ok(ev) => match ev.get(&name) {
                        Some(Value::Bool(true)) => Some(true),
                        Some(Value::Bool(false)) => None,
                        _ => Some(false),
                    },
                    Err(_) => Some(false),
                }
            })
            .collect()
    }
}

fn rule_name(i: usize) -> String {
    format!("task_{i}")
}

const AGENCY_KEYS: &[&str] = &["org", "name", "url"];
const JOURNEY_KEYS: &[&str] = &["id", "audience", "title", "description", "triggers", "for"];
const TASK_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "agency",
    "due",
    "after",
    "condition",
    "completed_by",
    "link",
    "reference",
];

/// The catalogue's messages, and the ids its YAML refers to (checked once all files are read,
/// so a translator sees every missing message at once).
pub(crate) struct Messages {
    content: Content,
    used: Vec<String>,
}

impl Messages {
    /// `text` of a YAML node: a message id such as `moving-title`.
    pub(crate) fn text(&mut self, r: &Reader, n: &Node, what: &str) -> Result<Text, LoadError> {
        match &n.kind {
            NodeKind::Scalar(..) => {
                let id = r.str(n, what)?;
                self.used.push(id.to_owned());
                Ok(Label::from_content(&self.content, id))
            }
            _ => Err(r.err(
                n,
                ErrorKind::Structure,
                format!(
                    "expected a message id for {what} (its texts go in locales/<lang>/*.ftl), found {}",
                    n.describe()
                ),
            )),
        }
    }
}

pub(crate) fn strings<'n>(
    r: &Reader,
    n: &'n Node,
    what: &str,
) -> Result<Vec<(String, &'n Node)>, LoadError> {
    r.seq(n, what)?
        .iter()
        .map(|x| Ok((r.str(x, what)?.to_owned(), x)))
        .collect()
}

fn parse(src: &Source) -> Result<Node, LoadError> {
    src.parse()?.ok_or_else(|| LoadError::Invalid {
        path: src.path.clone(),
        message: "the file is empty".into(),
    })
}

/// Loads a catalogue directory (see the crate docs).
pub fn load_catalogue(dir: impl AsRef<Path>) -> Result<Catalogue, CatalogueError> {
    let dir = dir.as_ref();
    let io = |source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io)? {
        let p = e.map_err(io)?.path();
        if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            files.push(Source::read(p)?);
        }
    }
    files.extend(samlet_rules::read_locales(dir)?);
    load_catalogue_from(dir, files)
}

/// Loads a catalogue from in-memory files (the shipped catalogue is embedded in the binary):
/// its YAML and its `locales/<lang>/*.ftl` messages.
pub fn load_catalogue_from(
    dir: &Path,
    mut files: Vec<Source>,
) -> Result<Catalogue, CatalogueError> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut msgs = Messages {
        content: samlet_rules::load_messages(dir, &files)?,
        used: Vec::new(),
    };
    // The facts' labels are messages too: the rule-set loader reads them from the same files.
    let ftl: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|s| is_ftl(&s.path))
        .map(|s| (s.path.clone(), s.text.clone()))
        .collect();
    files.retain(|s| !is_ftl(&s.path));
    let name_is = |s: &Source, n: &str| s.path.file_name().is_some_and(|f| f == n);
    let missing = |n: &str| LoadError::Invalid {
        path: dir.join(n),
        message: format!("a journey catalogue needs {n}"),
    };
    let agencies_src = files
        .iter()
        .find(|s| name_is(s, "agencies.yaml"))
        .ok_or_else(|| missing("agencies.yaml"))?;
    let facts_src = files
        .iter()
        .find(|s| name_is(s, "facts.yaml"))
        .ok_or_else(|| missing("facts.yaml"))?;

    // Agencies.
    let mut agencies = BTreeMap::new();
    let r = Reader { src: agencies_src };
    let root = parse(agencies_src)?;
    let top = r.fields(&root, "agencies.yaml", &["agencies"], &["agencies"])?;
    for (k, v) in r.map(top.get("agencies").unwrap_or(&root), "`agencies`")? {
        let key = r.str(k, "an agency key")?.to_owned();
        let f = r.fields(v, &format!("agency `{key}`"), AGENCY_KEYS, &["org", "name"])?;
        let org_node = f.get("org").unwrap_or(v);
        let org = r.str(org_node, "`org`")?.to_owned();
        if org.len() != 9 || !org.bytes().all(|b| b.is_ascii_digit()) {
            return Err(r
                .err(
                    org_node,
                    ErrorKind::Value,
                    format!("`org` must be a 9-digit organisation number, found `{org}`"),
                )
                .into());
        }
        let url = f
            .get("url")
            .map(|n| r.str(n, "`url`").map(str::to_owned))
            .transpose()?;
        agencies.insert(
            key.clone(),
            Agency {
                key,
                org,
                name: msgs.text(&r, f.get("name").unwrap_or(v), "`name`")?,
                url,
            },
        );
    }

    // Facts must be a valid input file on their own.
    let mut facts_files = vec![(facts_src.path.clone(), facts_src.text.clone())];
    facts_files.extend(ftl.iter().cloned());
    samlet_rules::load_rule_set_from_files(dir, &facts_files).map_err(CatalogueError)?;

    let offers = match files.iter().find(|s| name_is(s, "offers.yaml")) {
        Some(src) => offers::load_offers(src, &agencies, &mut msgs)?,
        None => Vec::new(),
    };

    let mut journeys: Vec<Journey> = Vec::new();
    for src in files.iter().filter(|s| {
        !name_is(s, "agencies.yaml") && !name_is(s, "facts.yaml") && !name_is(s, "offers.yaml")
    }) {
        let j = load_journey(dir, src, facts_src, &ftl, &agencies, &mut msgs)?;
        if let Some(prev) = journeys.iter().find(|p| p.id == j.id) {
            return Err(CatalogueError(LoadError::Invalid {
                path: src.path.clone(),
                message: format!(
                    "journey `{}` is also defined in {}",
                    j.id,
                    prev.file.display()
                ),
            }));
        }
        journeys.push(j);
    }
    samlet_rules::check_messages(dir, &msgs.content, msgs.used.iter().map(String::as_str))?;
    Ok(Catalogue {
        agencies,
        journeys,
        offers,
    })
}

fn load_journey(
    dir: &Path,
    src: &Source,
    facts: &Source,
    ftl: &[(PathBuf, String)],
    agencies: &BTreeMap<String, Agency>,
    msgs: &mut Messages,
) -> Result<Journey, CatalogueError> {
    let r = Reader { src };
    let root = parse(src)?;
    let top = r.fields(
        &root,
        "a journey file",
        &["journey", "tasks"],
        &["journey", "tasks"],
    )?;
    let jn = top.get("journey").unwrap_or(&root);
    let f = r.fields(
        jn,
        "`journey`",
        JOURNEY_KEYS,
        &["id", "title", "triggers", "audience"],
    )?;
    let id = r.str(f.get("id").unwrap_or(jn), "`id`")?.to_owned();
    let aud_node = f.get("audience").unwrap_or(jn);
    let audience = r.str(aud_node, "`audience`")?.to_owned();
    if audience != "citizen" && audience != "business" {
        return Err(r
            .err(
                aud_node,
                ErrorKind::Value,
                format!("`audience` is `citizen` or `business`, found `{audience}`"),
            )
            .into());
    }
    let title = msgs.text(&r, f.get("title").unwrap_or(jn), "`title`")?;
    let description = f
        .get("description")
        .map(|n| msgs.text(&r, n, "`description`"))
        .transpose()?;
    let triggers = strings(&r, f.get("triggers").unwrap_or(jn), "`triggers`")?
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let for_relations = match f.get("for") {
        Some(n) => strings(&r, n, "`for`")?
            .into_iter()
            .map(|(s, _)| s)
            .collect(),
        None => vec!["self".to_owned()],
    };

    let mut tasks: Vec<Task> = Vec::new();
    let mut cond_nodes: Vec<(usize, &Node)> = Vec::new();
    let mut after_nodes: Vec<Vec<&Node>> = Vec::new();
    let task_nodes = r.seq(top.get("tasks").unwrap_or(&root), "`tasks`")?;
    for tn in task_nodes {
        let f = r.fields(
            tn,
            "a task",
            TASK_KEYS,
            &["id", "title", "agency", "completed_by"],
        )?;
        let tid_node = f.get("id").unwrap_or(tn);
        let tid = r.str(tid_node, "the task `id`")?.to_owned();
        if tasks.iter().any(|t| t.id == tid) {
            return Err(r
                .err(
                    tid_node,
                    ErrorKind::Duplicate,
                    format!("task `{tid}` appears twice in journey `{id}`"),
                )
                .into());
        }
        let what = format!("task `{tid}`");
        let ag_node = f.get("agency").unwrap_or(tn);
        let agency = r.str(ag_node, "`agency`")?.to_owned();
        if !agencies.contains_key(&agency) {
            let known: Vec<&str> = agencies.keys().map(String::as_str).collect();
            return Err(r
                .err(
                    ag_node,
                    ErrorKind::UnknownName,
                    format!(
                        "unknown agency `{agency}` in {what}; agencies.yaml has: {}",
                        known.join(", ")
                    ),
                )
                .into());
        }
        let due = match f.get("due") {
            Some(n) => {
                let s = r.str(n, "`due`")?;
                Some(Relative::parse(s).ok_or_else(|| {
                    r.err(n, ErrorKind::Value, format!("`due` in {what} is a period after the event such as P14D, P6W, P2M or P1Y, found `{s}`"))
                })?)
            }
            None => None,
        };
        let cb_node = f.get("completed_by").unwrap_or(tn);
        let completed_by = match r.str(cb_node, "`completed_by`")? {
            "agency" => CompletedBy::Agency,
            "citizen" => CompletedBy::Citizen,
            other => {
                return Err(r
                    .err(
                        cb_node,
                        ErrorKind::Value,
                        format!("`completed_by` is `agency` or `citizen`, found `{other}`"),
                    )
                    .into())
            }
        };
        let link = match f.get("link") {
            Some(n) => {
                let s = r.str(n, "`link`")?;
                if !s.starts_with("https://") {
                    return Err(r
                        .err(
                            n,
                            ErrorKind::Value,
                            format!("`link` in {what} must be an https:// address, found `{s}`"),
                        )
                        .into());
                }
                Some(s.to_owned())
            }
            None => None,
        };
        let after = match f.get("after") {
            Some(n) => strings(&r, n, "`after`")?,
            None => Vec::new(),
        };
        after_nodes.push(after.iter().map(|(_, n)| *n).collect());
        let condition = match f.get("condition") {
            Some(n) => {
                cond_nodes.push((tasks.len(), n));
                Some(r.str(n, "`condition`")?.to_owned())
            }
            None => None,
        };
        tasks.push(Task {
            id: tid,
            title: msgs.text(&r, f.get("title").unwrap_or(tn), "`title`")?,
            description: f
                .get("description")
                .map(|n| msgs.text(&r, n, "`description`"))
                .transpose()?,
            agency,
            due,
            after: after.into_iter().map(|(s, _)| s).collect(),
            condition,
            completed_by,
            link,
            reference: f
                .get("reference")
                .map(|n| r.str(n, "`reference`").map(str::to_owned))
                .transpose()?,
        });
    }
    // `after` must name a task of this journey, and the order must not be circular.
    for (t, nodes) in tasks.iter().zip(&after_nodes) {
        for (a, n) in t.after.iter().zip(nodes) {
            if !tasks.iter().any(|x| &x.id == a) {
                return Err(r
                    .err(
                        n,
                        ErrorKind::UnknownName,
                        format!(
                            "task `{}` comes after `{a}`, which is not a task of journey `{id}`",
                            t.id
                        ),
                    )
                    .into());
            }
        }
    }
    if let Some((i, t)) = first_in_cycle(&tasks) {
        let n = after_nodes
            .get(i)
            .and_then(|v| v.first().copied())
            .unwrap_or(&root);
        return Err(r
            .err(
                n,
                ErrorKind::Cycle,
                format!("the order of task `{t}` is circular (it ends up after itself)"),
            )
            .into());
    }

    let conditions = compile_conditions(dir, src, facts, ftl, &id, &cond_nodes)?;
    Ok(Journey {
        id,
        audience,
        title,
        description,
        triggers,
        for_relations,
        tasks,
        file: src.path.clone(),
        conditions,
    })
}

fn first_in_cycle(tasks: &[Task]) -> Option<(usize, String)> {
    let idx: BTreeMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    for (start, t) in tasks.iter().enumerate() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = t
            .after
            .iter()
            .filter_map(|a| idx.get(a.as_str()).copied())
            .collect();
        while let Some(i) = stack.pop() {
            if i == start {
                return Some((start, t.id.clone()));
            }
            if seen.insert(i) {
                stack.extend(
                    tasks[i]
                        .after
                        .iter()
                        .filter_map(|a| idx.get(a.as_str()).copied()),
                );
            }
        }
    }
    None
}

/// Compiles the conditions into a rule set over the catalogue's facts. Errors inside a condition
/// are mapped back to the journey file's line and column.
fn compile_conditions(
    dir: &Path,
    src: &Source,
    facts: &Source,
    ftl: &[(PathBuf, String)],
    id: &str,
    conds: &[(usize, &Node)],
) -> Result<Option<RuleSet>, CatalogueError> {
    if conds.is_empty() {
        return Ok(None);
    }
    const INDENT: usize = 6;
    let mut yaml = format!("ruleset:\n  id: journey-{id}\n  period: month\nrules:\n");
    // Generated line (1-based) of each condition's text → index into `conds`.
    let mut line_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (k, (task, node)) in conds.iter().enumerate() {
        let NodeKind::Scalar(text, _) = &node.kind else {
            continue;
        };
        yaml.push_str(&format!(
            "  {}:\n    reference: {}\n    condition: |-\n",
            rule_name(*task),
            "journey condition"
        ));
        line_of.insert(yaml.lines().count() + 1, k);
        // Newlines become spaces: byte offsets stay the same, so positions map back.
        yaml.push_str(&" ".repeat(INDENT));
        yaml.push_str(&text.replace('\n', " "));
        yaml.push('\n');
    }
    let gen_path = dir.join(format!(".{id}.conditions.yaml"));
    let mut files = vec![
        (facts.path.clone(), facts.text.clone()),
        (gen_path.clone(), yaml),
    ];
    files.extend(ftl.iter().cloned());
    samlet_rules::load_rule_set_from_files(dir, &files)
        .map(Some)
        .map_err(|e| match e {
            LoadError::At {
                kind,
                file,
                line,
                column,
                message,
            } if file == gen_path => {
                let mapped = line_of
                    .get(&line)
                    .and_then(|k| conds.get(*k))
                    .map(|(_, node)| src.locate(node, column.saturating_sub(INDENT + 1)));
                let pos = mapped.unwrap_or(samlet_rules::yaml::Pos { line: 1, col: 1 });
                CatalogueError(LoadError::At {
                    kind,
                    file: src.path.clone(),
                    line: pos.line,
                    column: pos.col,
                    message: format!("in a condition: {message}"),
                })
            }
            other => CatalogueError(other),
        })
}
