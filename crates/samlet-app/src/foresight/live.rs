//! Live results: one incremental [`Aggregator`] per open session in this
//! process, so a presenter or the team's API sees a new ballot as soon as it
//! is acknowledged, without recomputing thousands of ballots.
//!
//! * A ballot is stored durably first; only a stored ballot reaches the
//!   aggregator (a replacement takes the earlier ballot out).
//! * The aggregator is rebuilt from the store when a session is first used
//!   in this process (and for every open session when the server starts).
//! * Writes with the same participant token are serialised (a striped
//!   lock), so the database and the aggregator agree on which ballot won.
//! * Nothing leaves while the session is open and not revealed: [`LiveResults::get`]
//!   refuses it; the tally is kept so a reveal shows results at once.
//! * Closed sessions never change: their results are computed once from the
//!   store and kept. So the final results are right even when the CLI or
//!   another replica wrote ballots; while a session is open, only ballots
//!   given through this process count live (run one server per database for
//!   live numbers, as the deployment notes say).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use samlet_foresight::{Aggregator, Ballot, Results};
use samlet_store::{BallotOutcome, ForesightStore};

use super::{compute_results, internal, Error, Loaded, Result};

/// Same-token writes wait for each other; different tokens rarely share a stripe.
const STRIPES: usize = 64;

/// A session's live tally: the aggregate and each participant's current ballot.
struct Tally {
    agg: Aggregator,
    by_token: HashMap<Vec<u8>, Ballot>,
}

struct Slot {
    tally: tokio::sync::OnceCell<Mutex<Tally>>,
    stripes: Vec<tokio::sync::Mutex<()>>,
}

impl Slot {
    fn new() -> Self {
        Self {
            tally: tokio::sync::OnceCell::new(),
            stripes: (0..STRIPES).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }

    async fn tally<S: ForesightStore + ?Sized>(
        &self,
        store: &S,
        s: &Loaded,
    ) -> Result<&Mutex<Tally>> {
        self.tally
            .get_or_try_init(|| async { rebuild(store, s).await.map(Mutex::new) })
            .await
    }
}

async fn rebuild<S: ForesightStore + ?Sized>(store: &S, s: &Loaded) -> Result<Tally> {
    let mut agg = Aggregator::new(s.trends.clone(), s.spec.thresholds, s.spec.segment_config());
    let mut by_token = HashMap::new();
    for (hash, text) in store.foresight_ballots_keyed(&s.row.id).await? {
        let b = Ballot::from_json(&text, &s.trends)
            .map_err(|e| internal(format!("stored ballot: {e}")))?;
        agg.add(&b).map_err(internal)?;
        by_token.insert(hash, b);
    }
    Ok(Tally { agg, by_token })
}

/// Live tallies of open sessions and final results of closed ones.
#[derive(Default)]
pub struct LiveResults {
    open: Mutex<HashMap<String, Arc<Slot>>>,
    closed: Mutex<HashMap<String, Arc<Results>>>,
}

impl LiveResults {
    fn slot(&self, id: &str) -> Result<Arc<Slot>> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| internal("live results lock poisoned"))?;
        Ok(open
            .entry(id.to_owned())
            .or_insert_with(|| Arc::new(Slot::new()))
            .clone())
    }

    /// Store the ballot (replacing the participant's earlier one), then count it.
    pub async fn submit<S: ForesightStore + ?Sized>(
        &self,
        store: &S,
        s: &Loaded,
        token_hash: &[u8],
        ballot: &Ballot,
    ) -> Result<BallotOutcome> {
        let text = serde_json::to_string(ballot).map_err(internal)?;
        let slot = self.slot(&s.row.id)?;
        // Build the tally before writing, so a rebuild never sees this ballot twice.
        let tally = slot.tally(store, s).await?;
        let stripe = token_hash.first().copied().unwrap_or(0) as usize % STRIPES;
        let _same_token = slot.stripes[stripe].lock().await;
        let outcome = store.submit_foresight_ballot(token_hash, &text).await?;
        if outcome == BallotOutcome::Stored {
            let mut t = tally
                .lock()
                .map_err(|_| internal("live results lock poisoned"))?;
            let Tally { agg, by_token } = &mut *t;
            match by_token.insert(token_hash.to_vec(), ballot.clone()) {
                Some(old) => agg.replace(&old, ballot),
                None => agg.add(ballot),
            }
            .map_err(internal)?;
        }
        Ok(outcome)
    }

    /// Current results: the live tally while open (once revealed), the stored
    /// ballots once closed. Withheld results are refused here, so no caller
    /// can serve them by forgetting to check.
    pub async fn get<S: ForesightStore + ?Sized>(
        &self,
        store: &S,
        s: &Loaded,
    ) -> Result<Arc<Results>> {
        if !s.row.results_visible() {
            return Err(Error::Withheld);
        }
        if s.row.is_open() {
            let slot = self.slot(&s.row.id)?;
            let tally = slot.tally(store, s).await?;
            let t = tally
                .lock()
                .map_err(|_| internal("live results lock poisoned"))?;
            return Ok(Arc::new(t.agg.results()));
        }
        if let Some(r) = self
            .closed
            .lock()
            .ok()
            .and_then(|m| m.get(&s.row.id).cloned())
        {
            return Ok(r);
        }
        let r = Arc::new(compute_results(store, s).await?);
        if let Ok(mut open) = self.open.lock() {
            open.remove(&s.row.id);
        }
        if let Ok(mut closed) = self.closed.lock() {
            closed.insert(s.row.id.clone(), r.clone());
        }
        Ok(r)
    }

    /// How many ballots the live tally holds (None before it is built).
    pub fn live_ballots(&self, id: &str) -> Option<u64> {
        let slot = self.open.lock().ok()?.get(id).cloned()?;
        let t = slot.tally.get()?.lock().ok()?;
        Some(t.agg.ballots())
    }

    /// Rebuild the tallies of every open session (at server start).
    pub async fn warm<S: ForesightStore + ?Sized>(&self, store: &S) -> Result<usize> {
        let mut n = 0;
        for row in store.list_foresight_sessions().await? {
            if row.is_open() {
                let s = Loaded::from_row(row)?;
                self.slot(&s.row.id)?.tally(store, &s).await?;
                n += 1;
            }
        }
        Ok(n)
    }
}
