//! The SQL of [`crate::JourneyStore`], written once for both backends.

macro_rules! impl_journey_store {
    ($ty:ty) => {
        #[async_trait::async_trait]
        impl $crate::JourneyStore for $ty {
            async fn record_life_event(
                &self,
                agency_id: i64,
                e: &$crate::NewLifeEvent,
                journeys: &[$crate::NewJourney],
                offers: &[$crate::NewOffer],
            ) -> $crate::Result<bool> {
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
                for j in journeys {
                    sqlx::query(
                        "INSERT INTO journeys (id, pid, journey_key, event_date, tasks, agency_id, event_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&j.id)
                    .bind(&j.pid)
                    .bind(&j.journey_key)
                    .bind(j.event_date)
                    .bind(&j.tasks_json)
                    .bind(agency_id)
                    .bind(&e.event_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                for o in offers {
                    sqlx::query(
                        "INSERT INTO offers (pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url, agency_id, event_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(&o.pid)
                    .bind(&o.ruleset)
                    .bind(&o.period)
                    .bind(&o.amount)
                    .bind(&o.explanation_nb)
                    .bind(&o.explanation_en)
                    .bind(&o.apply_url)
                    .bind(agency_id)
                    .bind(&e.event_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn journeys_for(&self, pid: &str) -> $crate::Result<Vec<$crate::StoredJourney>> {
                let rows: Vec<(String, String, String, chrono::NaiveDate, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT id, pid, journey_key, event_date, tasks, created_at FROM journeys \
                     WHERE pid = $1 ORDER BY event_date DESC, created_at DESC, id LIMIT 100",
                )
                .bind(pid)
                .fetch_all(&self.reader)
                .await?;
                let done: Vec<(String, String, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT d.journey_id, d.task_id, d.done_by, d.done_at FROM journey_tasks_done d \
                     JOIN journeys j ON j.id = d.journey_id WHERE j.pid = $1 ORDER BY d.done_at",
                )
                .bind(pid)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, pid, journey_key, event_date, tasks_json, created_at)| {
                        let done = done
                            .iter()
                            .filter(|d| d.0 == id)
                            .map(|d| $crate::TaskDone { task_id: d.1.clone(), done_by: d.2.clone(), done_at: d.3 })
                            .collect();
                        $crate::StoredJourney { id, pid, journey_key, event_date, tasks_json, done, created_at }
                    })
                    .collect())
            }

            async fn journey(&self, journey_id: &str) -> $crate::Result<Option<$crate::StoredJourney>> {
                let row: Option<(String, String, String, chrono::NaiveDate, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT id, pid, journey_key, event_date, tasks, created_at FROM journeys WHERE id = $1",
                )
                .bind(journey_id)
                .fetch_optional(&self.reader)
                .await?;
                let Some((id, pid, journey_key, event_date, tasks_json, created_at)) = row else {
                    return Ok(None);
                };
                let done: Vec<(String, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT task_id, done_by, done_at FROM journey_tasks_done WHERE journey_id = $1 ORDER BY done_at",
                )
                .bind(&id)
                .fetch_all(&self.reader)
                .await?;
                let done = done
                    .into_iter()
                    .map(|(task_id, done_by, done_at)| $crate::TaskDone { task_id, done_by, done_at })
                    .collect();
                Ok(Some($crate::StoredJourney { id, pid, journey_key, event_date, tasks_json, done, created_at }))
            }

            async fn set_task_done(
                &self,
                journey_id: &str,
                task_id: &str,
                done_by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<bool> {
                let r = sqlx::query(
                    "INSERT INTO journey_tasks_done (journey_id, task_id, done_by, done_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (journey_id, task_id) DO NOTHING",
                )
                .bind(journey_id)
                .bind(task_id)
                .bind(done_by)
                .bind(at)
                .execute(&self.writer)
                .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn offers_for(&self, pid: &str) -> $crate::Result<Vec<$crate::StoredOffer>> {
                let rows: Vec<(String, String, String, String, String, String, Option<String>, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url, created_at \
                     FROM offers WHERE pid = $1 ORDER BY created_at DESC, ruleset LIMIT 50",
                )
                .bind(pid)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url, created_at)| $crate::StoredOffer {
                        offer: $crate::NewOffer { pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url },
                        created_at,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use impl_journey_store;
