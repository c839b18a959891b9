//! [`crate::ForesightStore`].

use super::This;

#[async_trait::async_trait]
impl crate::ForesightStore for This {
    async fn create_foresight_session(
        &self,
        s: &crate::NewForesightSession<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<()> {
        let res = sqlx::query(
            "INSERT INTO foresight_sessions (id, join_code, title, spec, team_key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(s.id)
        .bind(s.join_code)
        .bind(s.title)
        .bind(s.spec)
        .bind(s.team_key_hash)
        .bind(now)
        .execute(&self.writer)
        .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if crate::sql::is_unique_violation(&e) => {
                Err(crate::StoreError::JoinCodeTaken(s.join_code.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn foresight_session(&self, id: &str) -> crate::Result<Option<crate::ForesightSession>> {
        let row: Option<crate::sql::foresight::SessionRow> = sqlx::query_as(
            "SELECT id, join_code, title, spec, team_key_hash, created_at, closed_at, revealed_at, revealed_by FROM foresight_sessions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.fresh)
        .await?;
        Ok(row.map(crate::sql::foresight::session))
    }

    async fn foresight_session_by_code(
        &self,
        join_code: &str,
    ) -> crate::Result<Option<crate::ForesightSession>> {
        let row: Option<crate::sql::foresight::SessionRow> = sqlx::query_as(
            "SELECT id, join_code, title, spec, team_key_hash, created_at, closed_at, revealed_at, revealed_by FROM foresight_sessions WHERE join_code = $1",
        )
        .bind(join_code)
        .fetch_optional(&self.fresh)
        .await?;
        Ok(row.map(crate::sql::foresight::session))
    }

    async fn list_foresight_sessions(&self) -> crate::Result<Vec<crate::ForesightSession>> {
        let rows: Vec<crate::sql::foresight::SessionRow> = sqlx::query_as(
            "SELECT id, join_code, title, spec, team_key_hash, created_at, closed_at, revealed_at, revealed_by FROM foresight_sessions ORDER BY created_at DESC, id",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(crate::sql::foresight::session)
            .collect())
    }

    async fn close_foresight_session(
        &self,
        id: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
        let r = sqlx::query(
            "UPDATE foresight_sessions SET closed_at = COALESCE(closed_at, $1) WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn reveal_foresight_session(
        &self,
        id: &str,
        revealed_by: &str,
        min_ballots: u64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<crate::RevealOutcome> {
        // One statement: the ballot count and the reveal cannot be split
        // (ballots are never deleted, so the count only grows).
        let r = sqlx::query(
            "UPDATE foresight_sessions SET revealed_at = COALESCE(revealed_at, $1), \
             revealed_by = COALESCE(revealed_by, $2) \
             WHERE id = $3 AND (SELECT COUNT(*) FROM foresight_ballots WHERE session_id = $3) >= $4",
        )
        .bind(now)
        .bind(revealed_by)
        .bind(id)
        .bind(i64::try_from(min_ballots).unwrap_or(i64::MAX))
        .execute(&self.writer)
        .await?;
        if r.rows_affected() == 1 {
            return Ok(crate::RevealOutcome::Revealed);
        }
        let known: Option<String> =
            sqlx::query_scalar("SELECT id FROM foresight_sessions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.writer)
                .await?;
        Ok(if known.is_some() {
            crate::RevealOutcome::TooFewBallots
        } else {
            crate::RevealOutcome::NoSession
        })
    }

    async fn join_foresight_session(
        &self,
        session_id: &str,
        token_hash: &[u8],
    ) -> crate::Result<crate::JoinOutcome> {
        // One statement: the open-check and the insert cannot be split by a close.
        let r = sqlx::query(
            "INSERT INTO foresight_participants (token_hash, session_id) SELECT $1, id FROM foresight_sessions WHERE id = $2 AND closed_at IS NULL",
        )
        .bind(token_hash)
        .bind(session_id)
        .execute(&self.writer)
        .await?;
        Ok(if r.rows_affected() == 1 {
            crate::JoinOutcome::Joined
        } else {
            crate::JoinOutcome::Closed
        })
    }

    async fn foresight_participant_session(
        &self,
        token_hash: &[u8],
    ) -> crate::Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT session_id FROM foresight_participants WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.fresh)
        .await?)
    }

    async fn submit_foresight_ballot(
        &self,
        token_hash: &[u8],
        ballot: &str,
    ) -> crate::Result<crate::BallotOutcome> {
        // Insert-or-replace guarded by "session still open" in one
        // statement. (SQLite needs the WHERE before ON CONFLICT to parse
        // an upsert from a SELECT; we have one anyway.)
        let r = sqlx::query(
            "INSERT INTO foresight_ballots (token_hash, session_id, ballot) \
             SELECT p.token_hash, p.session_id, $2 FROM foresight_participants p \
             JOIN foresight_sessions s ON s.id = p.session_id \
             WHERE p.token_hash = $1 AND s.closed_at IS NULL \
             ON CONFLICT (token_hash) DO UPDATE SET ballot = excluded.ballot",
        )
        .bind(token_hash)
        .bind(ballot)
        .execute(&self.writer)
        .await?;
        if r.rows_affected() >= 1 {
            return Ok(crate::BallotOutcome::Stored);
        }
        let known: Option<String> = sqlx::query_scalar(
            "SELECT session_id FROM foresight_participants WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.writer)
        .await?;
        Ok(if known.is_some() {
            crate::BallotOutcome::Closed
        } else {
            crate::BallotOutcome::UnknownToken
        })
    }

    async fn foresight_ballot(&self, token_hash: &[u8]) -> crate::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT ballot FROM foresight_ballots WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.fresh)
                .await?,
        )
    }

    async fn foresight_counts(&self, session_id: &str) -> crate::Result<crate::ForesightCounts> {
        let c: crate::sql::foresight::CountsRow = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM foresight_participants WHERE session_id = $1) AS joined, \
                    (SELECT COUNT(*) FROM foresight_ballots WHERE session_id = $1) AS voted",
        )
        .bind(session_id)
        .fetch_one(&self.reader)
        .await?;
        Ok(crate::ForesightCounts {
            joined: c.joined.max(0) as u64,
            voted: c.voted.max(0) as u64,
        })
    }

    async fn foresight_ballots(&self, session_id: &str) -> crate::Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT ballot FROM foresight_ballots WHERE session_id = $1 ORDER BY token_hash",
        )
        .bind(session_id)
        .fetch_all(&self.fresh)
        .await?)
    }

    async fn foresight_ballots_keyed(
        &self,
        session_id: &str,
    ) -> crate::Result<Vec<(Vec<u8>, String)>> {
        let rows: Vec<crate::sql::foresight::KeyedBallotRow> = sqlx::query_as(
            "SELECT token_hash, ballot FROM foresight_ballots WHERE session_id = $1 ORDER BY token_hash",
        )
        .bind(session_id)
        .fetch_all(&self.fresh)
        .await?;
        Ok(rows.into_iter().map(|r| (r.token_hash, r.ballot)).collect())
    }

    async fn foresight_library_items(&self) -> crate::Result<Vec<crate::LibraryItemRow>> {
        Ok(sqlx::query_as(
            "SELECT kind, code, item, updated_at FROM foresight_library_items ORDER BY kind, code",
        )
        .fetch_all(&self.fresh)
        .await?)
    }

    async fn put_foresight_library_item(
        &self,
        kind: crate::LibraryKind,
        code: &str,
        item: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO foresight_library_items (kind, code, item, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (kind, code) DO UPDATE SET item = excluded.item, updated_at = excluded.updated_at",
        )
        .bind(kind.as_str())
        .bind(code)
        .bind(item)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn delete_foresight_library_item(
        &self,
        kind: crate::LibraryKind,
        code: &str,
    ) -> crate::Result<bool> {
        let r = sqlx::query("DELETE FROM foresight_library_items WHERE kind = $1 AND code = $2")
            .bind(kind.as_str())
            .bind(code)
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
