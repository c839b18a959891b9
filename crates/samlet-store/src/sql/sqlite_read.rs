//! SQLite's hot read path: the overview, message pages and session lookups
//! on a small pool of rusqlite connections.
//!
//! Why not sqlx here: sqlx runs every SQLite statement on the connection's
//! own worker thread and hands each result back through a channel, so one
//! overview (session, cases, events, deadlines, benefits, message count,
//! messages, plus a ping per pool checkout) cost a dozen thread hand-offs.
//! Profiling the overview bench on 2 cores showed the time going to futex
//! wake-ups and context switches, not to SQLite. Here a whole read runs as
//! one closure on the calling thread (see [`ReadPool::read`] for why not on
//! tokio's blocking pool), inside one read transaction (so the overview is
//! also one consistent snapshot): no hand-off at all.
//! Writes stay on sqlx's single writer connection; these connections are
//! `query_only`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OpenFlags, Row};

use crate::sql::overview::{self as ov, OverviewRows};
use crate::{OverviewLimits, Result, Session};

/// Reader connections, opened on first use; one per thread reading at once.
pub(crate) struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    agencies: AgencyNames,
}

/// Agency id → (organisation number, name), read from `agencies` when an
/// id is not yet known. Safe to keep: an agency's number and name never
/// change once registered (only its keys do), and ids are never reused.
#[derive(Debug, Default)]
struct AgencyNames(std::sync::RwLock<std::collections::HashMap<i64, (String, String)>>);

impl AgencyNames {
    fn get(&self, conn: &Connection, id: i64) -> rusqlite::Result<(String, String)> {
        if let Some(v) = self.0.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(v);
        }
        let all = rows(conn, "SELECT id, org, name FROM agencies", [], |r| {
            Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?)))
        })?;
        let found = all.iter().find(|(i, _)| *i == id).map(|(_, v)| v.clone());
        if let Ok(mut m) = self.0.write() {
            m.extend(all);
        }
        found.ok_or(rusqlite::Error::QueryReturnedNoRows)
    }
}

impl std::fmt::Debug for ReadPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadPool")
            .field("path", &self.path)
            .field("idle", &self.idle.lock().map(|i| i.len()).unwrap_or(0))
            .finish_non_exhaustive()
    }
}

impl ReadPool {
    pub(crate) fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
            agencies: AgencyNames::default(),
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.execute_batch(
            "PRAGMA query_only = ON; PRAGMA cache_size = -65536; \
             PRAGMA temp_store = memory; PRAGMA mmap_size = 1073741824;",
        )?;
        Ok(conn)
    }

    /// Run `f` on a pooled connection inside one read transaction, on the
    /// calling thread.
    ///
    /// Inline rather than on tokio's blocking pool: a read of one person's
    /// rows from cached pages takes tens of microseconds, about what the
    /// hand-off to a blocking thread and back costs in futex wake-ups and
    /// context switches. The overview bench measured 266–290 µs of server
    /// CPU per overview inline against 362–405 µs through `spawn_blocking`.
    /// The price: a read that must fetch pages from disk holds its tokio
    /// worker for that long. The function stays `async` so that callers do
    /// not depend on how a backend reads.
    async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> rusqlite::Result<T>,
    {
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match pooled {
            Some(c) => c,
            None => self.open()?,
        };
        // BEGIN and COMMIT as cached statements: `Connection::transaction`
        // parses its SQL afresh on every call.
        let out = (|| {
            conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
            let out = f(&conn)?;
            conn.prepare_cached("COMMIT")?.execute([])?;
            Ok::<_, rusqlite::Error>(out)
        })();
        // A connection that failed mid-read (perhaps inside its transaction)
        // is dropped, not reused. The pool
        // keeps at most one idle connection per thread that has read at once.
        if out.is_ok() {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(conn);
            }
        }
        Ok(out?)
    }

    pub(crate) async fn overview_rows(
        self: &Arc<Self>,
        pid: &str,
        limits: OverviewLimits,
    ) -> Result<OverviewRows> {
        let pid = pid.to_owned();
        self.read(move |tx| {
            let names = &self.agencies;
            let cases: Vec<ov::CaseRow> =
                rows(tx, ov::SQLITE_CASES, [&pid as &dyn rusqlite::ToSql], |r| {
                    let (org, name) = names.get(tx, r.get(0)?)?;
                    Ok(ov::CaseRow {
                        agency_id: r.get(0)?,
                        case_id: r.get(1)?,
                        title: r.get(2)?,
                        status: r.get(3)?,
                        service: r.get(4)?,
                        url: r.get(5)?,
                        opened_at: time(r, 6)?,
                        updated_at: time(r, 7)?,
                        org,
                        name,
                    })
                })?;
            let events = if cases.is_empty() {
                Vec::new()
            } else {
                rows(tx, ov::EVENTS, [&pid as &dyn rusqlite::ToSql], |r| {
                    Ok(ov::EventRow {
                        agency_id: r.get(0)?,
                        case_id: r.get(1)?,
                        status: r.get(2)?,
                        at: time(r, 3)?,
                        note: r.get(4)?,
                    })
                })?
            };
            let deadlines: Vec<ov::DeadlineRow> = rows(
                tx,
                ov::SQLITE_DEADLINES,
                [&pid as &dyn rusqlite::ToSql],
                |r| {
                    let (org, name) = names.get(tx, r.get(6)?)?;
                    Ok(ov::DeadlineRow {
                        deadline_id: r.get(0)?,
                        title: r.get(1)?,
                        due_date: date(r, 2)?,
                        due_at: opt_time(r, 3)?,
                        case_id: r.get(4)?,
                        url: r.get(5)?,
                        org,
                        name,
                    })
                },
            )?;
            let benefits: Vec<ov::BenefitRow> = rows(
                tx,
                ov::SQLITE_BENEFITS,
                [&pid as &dyn rusqlite::ToSql],
                |r| {
                    let (org, agency_name) = names.get(tx, r.get(5)?)?;
                    Ok(ov::BenefitRow {
                        benefit_id: r.get(0)?,
                        name: r.get(1)?,
                        amount_minor: r.get(2)?,
                        currency: r.get(3)?,
                        next_payment: opt_date(r, 4)?,
                        org,
                        agency_name,
                    })
                },
            )?;
            // The orders of CASES, DEADLINES and BENEFITS (stable sorts; a
            // missing due time sorts first, as in SQLite).
            let (mut cases, mut deadlines, mut benefits) = (cases, deadlines, benefits);
            cases.sort_by_key(|c| std::cmp::Reverse(c.updated_at));
            deadlines.sort_by(|a, b| {
                (a.due_date, a.due_at, &a.title).cmp(&(b.due_date, b.due_at, &b.title))
            });
            benefits.sort_by(|a, b| a.name.cmp(&b.name));
            let messages = message_rows(tx, names, &pid, 0, limits.messages)?;
            // A short first page holds every message: count them from it
            // rather than reading the same rows a second time.
            let message_counts = if (messages.len() as i64) < limits.messages {
                let unread = messages.iter().filter(|m| m.read_at.is_none()).count();
                ov::MessageCounts {
                    total: messages.len() as i64,
                    unread: unread as i64,
                }
            } else {
                tx.prepare_cached(ov::MESSAGE_COUNTS)?
                    .query_row([&pid], |r| {
                        Ok(ov::MessageCounts {
                            total: r.get(0)?,
                            unread: r.get(1)?,
                        })
                    })?
            };
            Ok(OverviewRows {
                cases,
                events,
                deadlines,
                benefits,
                message_counts,
                messages,
            })
        })
        .await
    }

    pub(crate) async fn message_rows(
        self: &Arc<Self>,
        pid: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ov::MessageRow>> {
        let pid = pid.to_owned();
        self.read(move |tx| message_rows(tx, &self.agencies, &pid, offset, limit))
            .await
    }

    pub(crate) async fn session(
        self: &Arc<Self>,
        id_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<Session>> {
        let id_hash = id_hash.to_vec();
        // Bound exactly as sqlx writes timestamps, so the text comparison holds.
        let now = sqlx_time(now);
        self.read(move |tx| {
            let mut st = tx.prepare_cached(ov::SESSION)?;
            let mut q = st.query(rusqlite::params![id_hash, now])?;
            match q.next()? {
                Some(r) => Ok(Some(Session {
                    pid: r.get(0)?,
                    csrf: r.get(1)?,
                    expires_at: time(r, 2)?,
                })),
                None => Ok(None),
            }
        })
        .await
    }
}

/// Sessions looked up in the last few seconds, so an overview costs one
/// database read, not two. Only for SQLite: one process owns the file, so
/// every logout passes through `SqliteStore::delete_session`, which evicts
/// here before it returns (PostgreSQL replicas share sessions, so there is
/// no cache there). Expiry is checked on every hit.
#[derive(Debug, Default)]
pub(crate) struct SessionCache {
    inner: Mutex<SessionCacheInner>,
}

#[derive(Debug, Default)]
struct SessionCacheInner {
    map: std::collections::HashMap<Vec<u8>, (Session, std::time::Instant)>,
    /// Bumped by every eviction: a lookup that started before one must not
    /// put back what was just removed.
    generation: u64,
}

impl SessionCache {
    const TTL: Duration = Duration::from_secs(5);
    const CAPACITY: usize = 100_000;

    /// A cached session that is still valid at `now`, and the generation to
    /// pass to `put` otherwise.
    pub(crate) fn get(&self, id_hash: &[u8], now: DateTime<Utc>) -> (Option<Session>, u64) {
        let Ok(inner) = self.inner.lock() else {
            return (None, u64::MAX);
        };
        let hit = inner.map.get(id_hash).and_then(|(s, at)| {
            (at.elapsed() < Self::TTL && s.expires_at > now).then(|| s.clone())
        });
        (hit, inner.generation)
    }

    pub(crate) fn put(&self, id_hash: &[u8], session: &Session, generation: u64) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.generation != generation {
                return;
            }
            if inner.map.len() >= Self::CAPACITY {
                inner.map.clear();
            }
            inner.map.insert(
                id_hash.to_vec(),
                (session.clone(), std::time::Instant::now()),
            );
        }
    }

    pub(crate) fn evict(&self, id_hash: &[u8]) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.map.remove(id_hash);
            inner.generation = inner.generation.wrapping_add(1);
        }
    }
}

fn rows<T, P: rusqlite::Params>(
    tx: &Connection,
    sql: &str,
    params: P,
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    tx.prepare_cached(sql)?.query_map(params, f)?.collect()
}

fn message_rows(
    tx: &Connection,
    names: &AgencyNames,
    pid: &str,
    offset: i64,
    limit: i64,
) -> rusqlite::Result<Vec<ov::MessageRow>> {
    rows(
        tx,
        ov::SQLITE_MESSAGES,
        rusqlite::params![pid, limit, offset],
        |r| {
            let (org, name) = names.get(tx, r.get(4)?)?;
            Ok(ov::MessageRow {
                message_id: r.get(0)?,
                subject: r.get(1)?,
                sent_at: time(r, 2)?,
                read_at: opt_time(r, 3)?,
                org,
                name,
            })
        },
    )
}

/// sqlx's text form of a timestamp in SQLite (RFC 3339, `T`, `+00:00`).
pub(crate) fn sqlx_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Parse a timestamp as sqlx stores it, or SQLite's own `YYYY-MM-DD HH:MM:SS`.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%F %T%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

fn bad(i: usize, what: &str, s: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, format!("not {what}: {s:?}").into())
}

fn opt_time(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    r.get_ref(i)?
        .as_str_or_null()?
        .map(|s| fast_time(s).ok_or_else(|| bad(i, "a timestamp", s)))
        .transpose()
}

fn time(r: &Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s = r.get_ref(i)?.as_str()?;
    fast_time(s).ok_or_else(|| bad(i, "a timestamp", s))
}

fn opt_date(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    r.get_ref(i)?
        .as_str_or_null()?
        .map(|s| fast_date(s).ok_or_else(|| bad(i, "a date", s)))
        .transpose()
}

fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s = r.get_ref(i)?.as_str()?;
    fast_date(s).ok_or_else(|| bad(i, "a date", s))
}

/// `n` ASCII digits at the start of `b`, as a number.
fn digits(b: &[u8], n: usize) -> Option<u32> {
    let d = b.get(..n)?;
    d.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD`. Hand-written because an overview parses some 25 dates and
/// timestamps and chrono's format-string parser took a tenth of the
/// overview's instructions (callgrind); anything else goes to chrono.
fn fast_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (digits(b, 4)?, digits(&b[5..], 2)?, digits(&b[8..], 2)?);
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(s, "%F").ok()
}

/// sqlx's timestamp form, `YYYY-MM-DDTHH:MM:SS[.f{1,9}]+00:00`, without
/// chrono's generic parser (see [`fast_date`]); any other form falls back
/// to [`parse_time`].
fn fast_time(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let quick = (|| {
        if b.len() < 25 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let date = fast_date(s.get(..10)?)?;
        let (h, mi, sec) = (
            digits(&b[11..], 2)?,
            digits(&b[14..], 2)?,
            digits(&b[17..], 2)?,
        );
        let mut rest = &b[19..];
        let mut nanos = 0u32;
        if let Some(frac) = rest.strip_prefix(b".") {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            nanos = digits(frac, n)? * 10u32.pow(9 - n as u32);
            rest = &frac[n..];
        }
        if rest != b"+00:00" {
            return None;
        }
        let t = chrono::NaiveTime::from_hms_nano_opt(h, mi, sec, nanos)?;
        Some(date.and_time(t).and_utc())
    })();
    quick.or_else(|| parse_time(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path reads every timestamp sqlx writes, exactly.
        #[test]
        fn fast_time_reads_what_sqlx_writes(secs in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            proptest::prop_assert_eq!(fast_time(&sqlx_time(t)), Some(t));
            let d = t.date_naive();
            proptest::prop_assert_eq!(fast_date(&d.format("%F").to_string()), Some(d));
        }

        /// On any text, the fast parsers agree with chrono's.
        #[test]
        fn fast_parsers_agree_with_chrono(s in "[0-9T:. +Z-]{0,36}") {
            proptest::prop_assert_eq!(fast_time(&s), parse_time(&s));
            proptest::prop_assert_eq!(fast_date(&s), NaiveDate::parse_from_str(&s, "%F").ok());
        }
    }

    #[test]
    fn fast_parsers_refuse_what_chrono_refuses() {
        for s in ["2026-02-30", "2026-13-01", "20x6-01-01", ""] {
            assert_eq!(fast_date(s), None, "{s}");
        }
        // chrono is lenient about digit counts; so, through it, are we.
        assert_eq!(fast_date("2026-1-01"), NaiveDate::from_ymd_opt(2026, 1, 1));
        for s in [
            "2026-01-02T03:04:05.+00:00",
            "2026-01-02T24:00:00+00:00",
            "2026-01-02T03:04:05.1234567890+00:00",
            "2026-01-02T03:04:05+01:00x",
        ] {
            assert_eq!(fast_time(s), parse_time(s), "{s}");
        }
        // Other offsets are left to chrono, which converts them.
        let t = fast_time("2026-01-02T03:04:05+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-01-02T02:04:05+00:00");
    }

    #[test]
    fn session_cache_honours_expiry_and_eviction() {
        let now = Utc::now();
        let s = Session {
            pid: "p".into(),
            csrf: "c".into(),
            expires_at: now + chrono::Duration::hours(1),
        };
        let c = SessionCache::default();
        let (miss, g) = c.get(b"a", now);
        assert!(miss.is_none());
        c.put(b"a", &s, g);
        assert_eq!(c.get(b"a", now).0, Some(s.clone()));
        assert_eq!(c.get(b"a", now + chrono::Duration::hours(2)).0, None);
        // A lookup that raced with a logout does not resurrect the session.
        let (_, g) = c.get(b"b", now);
        c.evict(b"a");
        assert_eq!(c.get(b"a", now).0, None);
        c.put(b"b", &s, g);
        assert_eq!(c.get(b"b", now).0, None);
    }

    #[test]
    fn reads_timestamps_as_sqlx_writes_them() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T04:39:40.123456789+00:00")
            .map(|t| t.with_timezone(&Utc))
            .unwrap();
        assert_eq!(parse_time(&sqlx_time(t)), Some(t));
        let whole = DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap();
        assert_eq!(sqlx_time(whole), "2026-01-02T03:04:05+00:00");
        assert_eq!(parse_time("2026-01-02 03:04:05"), Some(whole));
        assert_eq!(parse_time("yesterday"), None);
    }
}
