//! [`crate::JourneyStore`]: life events, journeys and offers.

use super::This;

#[async_trait::async_trait]
impl crate::JourneyStore for This {
    async fn record_life_event(
        &self,
        agency_id: i64,
        e: &crate::NewLifeEvent,
        journeys: &[crate::NewJourney],
        offers: &[crate::NewOffer],
    ) -> crate::Result<bool> {
        let now = chrono::Utc::now();
        let mut tx = self.writer.begin().await?;
        let r = sqlx::query(
            "INSERT INTO life_events (agency_id, event_id, pid, kind, event_date, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agency_id, event_id) DO NOTHING",
        )
        .bind(agency_id)
        .bind(&e.event_id)
        .bind(&e.pid)
        .bind(&e.kind)
        .bind(e.date)
        .bind(&e.body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        for h in &e.households {
            sqlx::query(
                "INSERT INTO household_facts (pid, agency_id, event_id, relation, kind, event_date, household, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (pid, agency_id, event_id) DO NOTHING",
            )
            .bind(&h.pid)
            .bind(agency_id)
            .bind(&e.event_id)
            .bind(&h.relation)
            .bind(&e.kind)
            .bind(e.date)
            .bind(&h.household_json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for j in journeys {
            sqlx::query(
                "INSERT INTO journeys (id, pid, journey_key, event_date, tasks, agency_id, event_id, created_at, facts) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&j.id)
            .bind(&j.pid)
            .bind(&j.journey_key)
            .bind(j.event_date)
            .bind(&j.tasks_json)
            .bind(agency_id)
            .bind(&e.event_id)
            .bind(now)
            .bind(&j.facts_json)
            .execute(&mut *tx)
            .await?;
        }
        for chunk in offers.chunks(crate::sql::offers::CHUNK) {
            crate::sql::offers::insert(chunk, Some(agency_id), Some(e.event_id.as_str()), now)
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn journeys_for(&self, pid: &str) -> crate::Result<Vec<crate::StoredJourney>> {
        let sql = format!(
            "SELECT {} FROM journeys WHERE pid = $1 ORDER BY event_date DESC, created_at DESC, id LIMIT 100",
            crate::sql::journeys::JOURNEY_COLUMNS
        );
        let rows: Vec<crate::sql::journeys::JourneyRow> = sqlx::query_as(&sql)
            .bind(pid)
            .fetch_all(&self.reader)
            .await?;
        let done: Vec<crate::sql::journeys::TaskDoneRow> = sqlx::query_as(
            "SELECT d.journey_id, d.task_id, d.done_by, d.done_at FROM journey_tasks_done d \
             JOIN journeys j ON j.id = d.journey_id WHERE j.pid = $1 ORDER BY d.done_at",
        )
        .bind(pid)
        .fetch_all(&self.reader)
        .await?;
        let answers: Vec<crate::sql::journeys::AnswerRow> = sqlx::query_as(
            "SELECT a.journey_id, a.fact, a.value FROM journey_answers a \
             JOIN journeys j ON j.id = a.journey_id WHERE j.pid = $1",
        )
        .bind(pid)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|j| {
                let done = done
                    .iter()
                    .filter(|d| d.journey_id == j.id)
                    .map(|d| d.done.clone())
                    .collect();
                let answers = answers
                    .iter()
                    .filter(|a| a.journey_id == j.id)
                    .map(|a| (a.fact.clone(), a.value.clone()))
                    .collect();
                j.with(done, answers)
            })
            .collect())
    }

    async fn journey(&self, journey_id: &str) -> crate::Result<Option<crate::StoredJourney>> {
        let sql = format!(
            "SELECT {} FROM journeys WHERE id = $1",
            crate::sql::journeys::JOURNEY_COLUMNS
        );
        let row: Option<crate::sql::journeys::JourneyRow> = sqlx::query_as(&sql)
            .bind(journey_id)
            .fetch_optional(&self.fresh)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let done: Vec<crate::TaskDone> = sqlx::query_as(
            "SELECT task_id, done_by, done_at FROM journey_tasks_done WHERE journey_id = $1 ORDER BY done_at",
        )
        .bind(journey_id)
        .fetch_all(&self.fresh)
        .await?;
        let answers: Vec<crate::sql::journeys::AnswerRow> = sqlx::query_as(
            "SELECT journey_id, fact, value FROM journey_answers WHERE journey_id = $1",
        )
        .bind(journey_id)
        .fetch_all(&self.fresh)
        .await?;
        let answers = answers.into_iter().map(|a| (a.fact, a.value)).collect();
        Ok(Some(row.with(done, answers)))
    }

    async fn set_task_done(
        &self,
        journey_id: &str,
        task_id: &str,
        done_by: &crate::DoneBy,
        at: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
        let r = sqlx::query(
            "INSERT INTO journey_tasks_done (journey_id, task_id, done_by, done_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (journey_id, task_id) DO NOTHING",
        )
        .bind(journey_id)
        .bind(task_id)
        .bind(done_by.as_str())
        .bind(at)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn offers_for(&self, pid: &str) -> crate::Result<Vec<crate::StoredOffer>> {
        let rows: Vec<crate::sql::offers::OfferRow> =
            sqlx::query_as(&crate::sql::offers::for_person_sql())
                .bind(pid)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(crate::sql::offers::offer).collect())
    }

    async fn answer_journey(
        &self,
        journey_id: &str,
        answers: &[(String, String)],
        tasks_json: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
        let mut tx = self.writer.begin().await?;
        let r = sqlx::query("UPDATE journeys SET tasks = $1 WHERE id = $2")
            .bind(tasks_json)
            .bind(journey_id)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        for (fact, value) in answers {
            sqlx::query(
                "INSERT INTO journey_answers (journey_id, fact, value, answered_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (journey_id, fact) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
            )
            .bind(journey_id)
            .bind(fact)
            .bind(value)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn household_facts(
        &self,
        kinds: &[String],
    ) -> crate::Result<Vec<crate::StoredHouseholdFacts>> {
        let mut out: Vec<crate::StoredHouseholdFacts> = Vec::new();
        for kind in kinds {
            let rows: Vec<crate::StoredHouseholdFacts> = sqlx::query_as(
                "SELECT h.pid, h.relation, h.kind, h.event_date, h.household AS household_json, a.org AS source_org, \
                 h.event_id, h.created_at \
                 FROM household_facts h JOIN agencies a ON a.id = h.agency_id WHERE h.kind = $1",
            )
            .bind(kind)
            .fetch_all(&self.fresh)
            .await?;
            out.extend(rows);
        }
        // The newest per person: a later event (a second birth) supersedes an earlier one.
        out.sort_by(|a, b| {
            a.pid
                .cmp(&b.pid)
                .then(b.event_date.cmp(&a.event_date))
                .then(b.created_at.cmp(&a.created_at))
        });
        out.dedup_by(|later, first| later.pid == first.pid);
        Ok(out)
    }

    async fn offers_for_ruleset(&self, ruleset: &str) -> crate::Result<Vec<crate::StoredOffer>> {
        let rows: Vec<crate::sql::offers::OfferRow> =
            sqlx::query_as(&crate::sql::offers::for_ruleset_sql())
                .bind(ruleset)
                .fetch_all(&self.fresh)
                .await?;
        Ok(rows.into_iter().map(crate::sql::offers::offer).collect())
    }

    async fn insert_offers(&self, offers: &[crate::NewOffer]) -> crate::Result<usize> {
        let now = chrono::Utc::now();
        let mut tx = self.writer.begin().await?;
        let mut n = 0;
        for chunk in offers.chunks(crate::sql::offers::CHUNK) {
            n += crate::sql::offers::insert(chunk, None, None, now)
                .build()
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}
