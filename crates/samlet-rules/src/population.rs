//! Whole-population runs: CSV in, one amount per household out, on all cores.
//!
//! Data is held column-free but slot-ordered (`[person][input slot]`) in one flat vector so the
//! evaluator reads it exactly like a single household, without per-household allocation.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::EvalError;
use crate::eval::{Ctx, ParamsAt, Scratch, View};
use crate::model::{Entity, RuleSet};
use crate::value::{parse_date_bytes, Period, Value, ValueType};

/// Errors of a population run.
#[derive(Debug, thiserror::Error)]
pub enum PopulationError {
    /// The rule set names no `main_output`, so there is nothing to write.
    #[error("the rule set declares no `main_output`; add `main_output:` under `ruleset:`")]
    NoMainOutput,
    /// The CSV could not be read.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The header is not what the rule set needs.
    #[error("CSV header: {0}")]
    Header(String),
    /// A value in a row is invalid.
    #[error("CSV line {line}, column `{column}`: {message}")]
    Row {
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// What was wrong.
        message: String,
    },
    /// Writing the output failed.
    #[error("writing output: {0}")]
    Io(#[from] std::io::Error),
}

/// Timing and counts of a population run. Load (parsing CSV) and compute are reported apart
/// because they scale differently.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PopulationStats {
    /// Households evaluated.
    pub households: u64,
    /// Persons read.
    pub persons: u64,
    /// Households whose evaluation failed (their amount is left empty).
    pub failed: u64,
    /// Up to 10 error messages of failed households.
    pub first_errors: Vec<String>,
    /// Time to read and parse the CSV.
    pub load_time: Duration,
    /// Time to evaluate all households.
    pub compute_time: Duration,
    /// Time to write the output CSV.
    pub write_time: Duration,
}

/// A population loaded into memory, grouped by household.
pub struct Population {
    /// Household ids, in first-seen order.
    pub household_ids: Vec<String>,
    /// `offsets[h]..offsets[h+1]` are household `h`'s persons.
    offsets: Vec<u32>,
    /// `[person][slot]`.
    values: Vec<Option<Value>>,
    stride: usize,
}

impl Population {
    /// Number of households.
    pub fn households(&self) -> usize {
        self.household_ids.len()
    }

    /// Number of persons.
    pub fn persons(&self) -> usize {
        self.offsets.last().map_or(0, |&x| x as usize)
    }

    fn view(&self, h: usize) -> View<'_> {
        let (a, b) = (self.offsets[h] as usize, self.offsets[h + 1] as usize);
        View {
            hh: &[],
            members: &self.values[a * self.stride..b * self.stride],
            n_members: b - a,
            stride: self.stride,
        }
    }
}

/// FNV-1a with a final mix: household ids are short and come from our own files, so SipHash's
/// DoS resistance is not needed for this batch job.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// Hasher for keys that already are hashes.
#[derive(Default, Clone, Copy)]
struct BuildId;

struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl std::hash::BuildHasher for BuildId {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

enum Col {
    Household,
    Person,
    Input(usize, ValueType),
}

fn parse_int_bytes(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(if neg { -v } else { v })
}

/// Reads a population CSV: columns `household_id`, `person_id`, and one column per per-person
/// input the rule set declares (e.g. `birth_date,role,annual_income`). Empty cells are missing
/// values. Rows of one household need not be adjacent.
pub fn load_population<R: Read>(rs: &RuleSet, input: R) -> Result<Population, PopulationError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let headers = rdr.byte_headers()?.clone();
    let mut cols = Vec::with_capacity(headers.len());
    for h in headers.iter() {
        let name = String::from_utf8_lossy(h).trim().to_string();
        cols.push(match name.as_str() {
            "household_id" => Col::Household,
            "person_id" => Col::Person,
            other => match rs.input_index(other) {
                Some(i) if rs.inputs[i].entity == Entity::Person => Col::Input(rs.inputs[i].slot, rs.inputs[i].ty),
                Some(_) => {
                    return Err(PopulationError::Header(format!(
                        "`{other}` is a household-level input; this CSV has one row per person"
                    )))
                }
                None => {
                    let known: Vec<&str> = rs.p_inputs.iter().map(|&i| rs.inputs[i].id.as_str()).collect();
                    return Err(PopulationError::Header(format!(
                        "unknown column `{other}`; expected household_id, person_id and per-person inputs ({})",
                        known.join(", ")
                    )));
                }
            },
        });
    }
    if !cols.iter().any(|c| matches!(c, Col::Household)) {
        return Err(PopulationError::Header(
            "missing column `household_id`".into(),
        ));
    }
    // Every input the main output needs must be present.
    if let Some(mo) = rs.meta.main_output {
        for i in rs.transitive_inputs(mo) {
            let inp = &rs.inputs[i];
            if inp.entity == Entity::Household {
                return Err(PopulationError::Header(format!(
                    "the rules need household-level input `{}`, which a per-person CSV cannot give",
                    inp.id
                )));
            }
            if !cols
                .iter()
                .any(|c| matches!(c, Col::Input(s, _) if *s == inp.slot))
            {
                return Err(PopulationError::Header(format!(
                    "missing column `{}`, which the rules need",
                    inp.id
                )));
            }
        }
    }
    let stride = rs.p_inputs.len();
    // Index by 64-bit FNV hash only (no key allocation per household); the rare collision is
    // resolved by comparing with the stored id and falls back to a map keyed by the id itself.
    let mut hh_index: HashMap<u64, u32, BuildId> = HashMap::default();
    let mut hh_collisions: HashMap<Box<[u8]>, u32> = HashMap::new();
    let mut last_hh: Vec<u8> = Vec::new();
    let mut last_idx: u32 = 0;
    let mut household_ids: Vec<String> = Vec::new();
    let mut row_hh: Vec<u32> = Vec::new();
    let mut values: Vec<Option<Value>> = Vec::new();
    // Interned texts: a population has few distinct roles, so a linear scan beats hashing.
    let mut texts: Vec<(Box<[u8]>, Arc<str>)> = Vec::new();
    let mut rec = csv::ByteRecord::new();
    let mut contiguous = true;
    let mut line: u64 = 1;
    while rdr.read_byte_record(&mut rec)? {
        line += 1;
        let base = values.len();
        values.resize(base + stride, None);
        let mut hh: Option<u32> = None;
        for (ci, cell) in rec.iter().enumerate() {
            let Some(col) = cols.get(ci) else { continue };
            match col {
                Col::Household => {
                    let next = household_ids.len() as u32;
                    // Rows of a household are usually adjacent: only hash when the id changes.
                    let idx = if !row_hh.is_empty() && cell == last_hh.as_slice() {
                        last_idx
                    } else {
                        let h = fnv(cell);
                        match hh_index.get(&h) {
                            Some(&i) if household_ids[i as usize].as_bytes() == cell => i,
                            Some(_) => match hh_collisions.get(cell) {
                                Some(&i) => i,
                                None => {
                                    hh_collisions.insert(cell.into(), next);
                                    household_ids.push(String::from_utf8_lossy(cell).into_owned());
                                    next
                                }
                            },
                            None => {
                                hh_index.insert(h, next);
                                household_ids.push(String::from_utf8_lossy(cell).into_owned());
                                next
                            }
                        }
                    };
                    if idx != last_idx || row_hh.is_empty() {
                        last_hh.clear();
                        last_hh.extend_from_slice(cell);
                        last_idx = idx;
                    }
                    if let Some(&last) = row_hh.last() {
                        if idx != last && idx != next {
                            contiguous = false;
                        }
                    }
                    hh = Some(idx);
                }
                Col::Person => {}
                Col::Input(slot, ty) => {
                    if cell.is_empty() {
                        continue;
                    }
                    let bad = |m: &str| PopulationError::Row {
                        line,
                        column: String::from_utf8_lossy(headers.get(ci).unwrap_or(b"?"))
                            .into_owned(),
                        message: format!("{m}, found `{}`", String::from_utf8_lossy(cell)),
                    };
                    let v = match ty {
                        ValueType::Date => Value::Date(
                            parse_date_bytes(cell)
                                .ok_or_else(|| bad("expected a date YYYY-MM-DD"))?,
                        ),
                        ValueType::Integer
                        | ValueType::Money
                        | ValueType::Decimal
                        | ValueType::Rate => match parse_int_bytes(cell) {
                            Some(i) => Value::Number(Decimal::from(i)),
                            None => {
                                let s = std::str::from_utf8(cell)
                                    .map_err(|_| bad("expected a number"))?;
                                ty.parse_value(s).map_err(|_| bad("expected a number"))?
                            }
                        },
                        ValueType::Boolean | ValueType::Text => {
                            let s = std::str::from_utf8(cell)
                                .map_err(|_| bad("expected UTF-8 text"))?;
                            if *ty == ValueType::Boolean {
                                ty.parse_value(s)
                                    .map_err(|_| bad("expected true or false"))?
                            } else {
                                // Interned: a population has few distinct roles.
                                let a = match texts.iter().find(|(k, _)| k.as_ref() == cell) {
                                    Some((_, a)) => a.clone(),
                                    None => {
                                        let a: Arc<str> = Arc::from(s.trim());
                                        if texts.len() < 64 {
                                            texts.push((cell.into(), a.clone()));
                                        }
                                        a
                                    }
                                };
                                Value::Text(a)
                            }
                        }
                    };
                    values[base + slot] = Some(v);
                }
            }
        }
        let hh = hh.ok_or_else(|| PopulationError::Row {
            line,
            column: "household_id".into(),
            message: "missing household id".into(),
        })?;
        row_hh.push(hh);
    }
    let n_h = household_ids.len();
    let mut counts = vec![0u32; n_h + 1];
    for &h in &row_hh {
        counts[h as usize + 1] += 1;
    }
    for i in 0..n_h {
        counts[i + 1] += counts[i];
    }
    let offsets = counts;
    if !contiguous {
        // Counting sort of persons by household.
        let mut pos: Vec<u32> = offsets[..n_h].to_vec();
        let mut sorted: Vec<Option<Value>> = vec![None; values.len()];
        for (row, &h) in row_hh.iter().enumerate() {
            let dst = pos[h as usize] as usize;
            pos[h as usize] += 1;
            for s in 0..stride {
                sorted[dst * stride + s] = values[row * stride + s].take();
            }
        }
        values = sorted;
    }
    Ok(Population {
        household_ids,
        offsets,
        values,
        stride,
    })
}

impl RuleSet {
    /// Evaluates the main output for every household of a population, in parallel (rayon),
    /// calling `progress(done, total)` after each chunk.
    pub fn evaluate_population(
        &self,
        pop: &Population,
        period: Period,
        progress: impl Fn(u64, u64),
    ) -> Result<Vec<Result<Decimal, Box<EvalError>>>, PopulationError> {
        let mo = self.meta.main_output.ok_or(PopulationError::NoMainOutput)?;
        let params: ParamsAt = self.params_at(period.start);
        let n = pop.households();
        let total = n as u64;
        let mut out: Vec<Result<Decimal, Box<EvalError>>> = Vec::with_capacity(n);
        const CHUNK: usize = 50_000;
        let mut start = 0;
        progress(0, total);
        while start < n {
            let end = (start + CHUNK).min(n);
            let part: Vec<Result<Decimal, Box<EvalError>>> = (start..end)
                .into_par_iter()
                .with_min_len(512)
                .map_init(Scratch::default, |s, h| {
                    let ctx = Ctx {
                        rs: self,
                        params: &params,
                        period,
                        view: pop.view(h),
                    };
                    ctx.prepare(s, false);
                    ctx.rule(s, mo, None)
                        .map(|v| v.as_number().unwrap_or(Decimal::ZERO))
                })
                .collect();
            out.extend(part);
            start = end;
            progress(start as u64, total);
        }
        Ok(out)
    }
}

/// Reads a population CSV, evaluates the rule set's `main_output` for every household for
/// `period`, and writes CSV `household_id,amount` (one row per household, first-seen order).
/// Households that fail keep an empty amount and are counted in the stats.
pub fn run_population<R: Read, W: Write>(
    rs: &RuleSet,
    input: R,
    period: Period,
    output: W,
    progress: impl Fn(u64, u64),
) -> Result<PopulationStats, PopulationError> {
    if rs.meta.main_output.is_none() {
        return Err(PopulationError::NoMainOutput);
    }
    let t0 = Instant::now();
    let pop = load_population(rs, input)?;
    let load_time = t0.elapsed();
    let t1 = Instant::now();
    let results = rs.evaluate_population(&pop, period, progress)?;
    let compute_time = t1.elapsed();
    let t2 = Instant::now();
    let mut w = csv::Writer::from_writer(output);
    w.write_record(["household_id", "amount"])?;
    let mut failed = 0u64;
    let mut first_errors = Vec::new();
    for (id, r) in pop.household_ids.iter().zip(&results) {
        match r {
            Ok(d) => w.write_record([id.as_bytes(), d.normalize().to_string().as_bytes()])?,
            Err(e) => {
                failed += 1;
                if first_errors.len() < 10 {
                    first_errors.push(format!("household {id}: {e}"));
                }
                w.write_record([id.as_bytes(), b""])?;
            }
        }
    }
    w.flush()?;
    Ok(PopulationStats {
        households: pop.households() as u64,
        persons: pop.persons() as u64,
        failed,
        first_errors,
        load_time,
        compute_time,
        write_time: t2.elapsed(),
    })
}

/// Small deterministic PRNG (SplitMix64) so generated populations are identical for a seed on
/// every platform without pulling in `rand`.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// Seeds the generator.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
}

/// Generates a synthetic population CSV (`person_id,household_id,birth_date,role,annual_income`)
/// for the child-benefit rules: about 2.5 persons per household, 1–2 parents, 0–7 children with
/// ages spread around the 18-year boundary, incomes around the means-test threshold.
/// Deterministic for a given seed. Returns (households, persons).
pub fn generate_population<W: Write>(
    out: W,
    households: u64,
    seed: u64,
    reference: NaiveDate,
) -> std::io::Result<(u64, u64)> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut rng = SplitMix64::new(seed);
    writeln!(w, "person_id,household_id,birth_date,role,annual_income")?;
    let mut pid: u64 = 0;
    let write_person =
        |w: &mut std::io::BufWriter<W>, pid: u64, h: u64, d: NaiveDate, role: &str, inc: u64| {
            writeln!(
                w,
                "P{pid:08},H{h:07},{:04}-{:02}-{:02},{role},{inc}",
                d.year(),
                d.month(),
                d.day()
            )
        };
    for h in 0..households {
        let parents = if rng.below(100) < 60 { 1 } else { 2 };
        let r = rng.below(1000);
        let children = match r {
            0..=499 => 0,
            500..=669 => 1,
            670..=849 => 2,
            850..=939 => 3,
            940..=979 => 4,
            980..=994 => 5,
            995..=998 => 6,
            _ => 7,
        };
        for _ in 0..parents {
            let age_days = 20 * 365 + rng.below(40 * 365) as i64;
            let d = reference - Days::days(age_days);
            let inc = match rng.below(100) {
                0..=4 => 0,
                5..=89 => 150_000 + rng.below(1_000_000),
                _ => 1_000_000 + rng.below(3_000_000),
            };
            pid += 1;
            write_person(&mut w, pid, h, d, "parent", inc)?;
        }
        for _ in 0..children {
            let d = if rng.below(100) < 3 {
                // Exactly 18 years before the first of a month near the reference date.
                let m = rng.below(6) as i64 - 3;
                let base = NaiveDate::from_ymd_opt(reference.year() - 18, reference.month(), 1)
                    .unwrap_or(reference);
                base.checked_add_signed(Days::days(m * 30))
                    .map(|x| x.with_day(1).unwrap_or(x))
                    .unwrap_or(base)
            } else {
                reference - Days::days(rng.below(20 * 365) as i64)
            };
            let inc = if rng.below(100) < 10 {
                rng.below(60_000)
            } else {
                0
            };
            pid += 1;
            write_person(&mut w, pid, h, d, "child", inc)?;
        }
        if rng.below(100) < 2 {
            let d = reference - Days::days(65 * 365 + rng.below(20 * 365) as i64);
            pid += 1;
            write_person(
                &mut w,
                pid,
                h,
                d,
                "grandparent",
                250_000 + rng.below(200_000),
            )?;
        }
    }
    w.flush()?;
    Ok((households, pid))
}
