//! [`crate::AccessLogStore`]: the transparency log.

use super::{Db, This, LOCK_LOG_HEAD};

/// Checks and locks the tree head, then writes a batch's nodes, leaf
/// data, entries and new size (the caller commits).
async fn write_batch(
    tx: &mut sqlx::Transaction<'_, Db>,
    batch: &crate::LogAppend,
) -> crate::Result<()> {
    use crate::sql::access_log::{to_i64, ENTRY_CHUNK, NODE_CHUNK};
    let size: i64 = sqlx::query_scalar(LOCK_LOG_HEAD)
        .fetch_one(&mut **tx)
        .await?;
    if size != to_i64(batch.old_size)? {
        return Err(crate::StoreError::StaleLogHead {
            expected: batch.old_size,
            found: size,
        });
    }
    for chunk in batch.nodes.chunks(NODE_CHUNK) {
        let mut q: sqlx::QueryBuilder<'_, Db> =
            sqlx::QueryBuilder::new("INSERT INTO log_nodes (level, idx, hash) ");
        let mut err = None;
        q.push_values(chunk, |mut b, (id, hash)| {
            let idx = to_i64(id.index).unwrap_or_else(|e| {
                err = Some(e);
                0
            });
            b.push_bind(i16::from(id.level))
                .push_bind(idx)
                .push_bind(hash.to_vec());
        });
        if let Some(e) = err {
            return Err(e);
        }
        q.build().execute(&mut **tx).await?;
    }
    let first = to_i64(batch.old_size)?;
    let data: Vec<(i64, &Vec<u8>)> = batch
        .leaf_data
        .iter()
        .enumerate()
        .map(|(i, d)| (first + i as i64, d))
        .collect();
    for chunk in data.chunks(NODE_CHUNK) {
        let mut q: sqlx::QueryBuilder<'_, Db> =
            sqlx::QueryBuilder::new("INSERT INTO log_leaf_data (idx, data) ");
        q.push_values(chunk, |mut b, (idx, d)| {
            b.push_bind(*idx).push_bind((*d).clone());
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in batch.entries.chunks(ENTRY_CHUNK) {
        let mut q: sqlx::QueryBuilder<'_, Db> = sqlx::QueryBuilder::new(
            "INSERT INTO log_entries (idx, subject, agency_org, at, salt, body) ",
        );
        let mut err = None;
        q.push_values(chunk, |mut b, e| {
            let idx = to_i64(e.idx).unwrap_or_else(|x| {
                err = Some(x);
                0
            });
            b.push_bind(idx)
                .push_bind(e.subject.clone())
                .push_bind(e.agency_org.clone())
                .push_bind(e.at)
                .push_bind(e.salt.clone())
                .push_bind(e.body.clone());
        });
        if let Some(e) = err {
            return Err(e);
        }
        q.build().execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE log_head SET size = $1 WHERE id = 1")
        .bind(to_i64(batch.new_size)?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl crate::AccessLogStore for This {
    async fn log_size(&self) -> crate::Result<u64> {
        let size: i64 = sqlx::query_scalar("SELECT size FROM log_head WHERE id = 1")
            .fetch_one(&self.fresh)
            .await?;
        crate::sql::access_log::to_u64(size)
    }

    async fn log_append(&self, batch: &crate::LogAppend) -> crate::Result<()> {
        let mut tx = self.writer.begin().await?;
        write_batch(&mut tx, batch).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn log_append_governance(&self, batch: &crate::LogAppend) -> crate::Result<()> {
        use crate::sql::access_log::to_i64;
        let mut tx = self.writer.begin().await?;
        write_batch(&mut tx, batch).await?;
        for idx in batch.old_size..batch.new_size {
            sqlx::query("INSERT INTO log_governance (idx) VALUES ($1)")
                .bind(to_i64(idx)?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn log_nodes(
        &self,
        ids: &[samlet_merkle::NodeId],
    ) -> crate::Result<Vec<Option<samlet_merkle::Hash>>> {
        use sqlx::Row;
        // One row of scalar subqueries: each node a primary-key
        // lookup, all in one statement whose text depends only on
        // the count (so it is prepared once), answered as one row.
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(crate::sql::access_log::NODES_PER_QUERY) {
            let sql = crate::sql::access_log::nodes_sql(chunk.len());
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q
                    .bind(i16::from(id.level))
                    .bind(crate::sql::access_log::to_i64(id.index)?);
            }
            let row = q.fetch_one(&self.fresh).await?;
            for i in 0..chunk.len() {
                let h: Option<Vec<u8>> = row.try_get(i)?;
                out.push(h.map(|h| crate::sql::access_log::to_hash(&h)).transpose()?);
            }
        }
        Ok(out)
    }

    async fn log_leaves(&self, start: u64, end: u64) -> crate::Result<Vec<crate::LeafRecord>> {
        use crate::sql::access_log::{to_hash, to_i64, to_u64};
        let rows: Vec<crate::sql::access_log::LeafRow> = sqlx::query_as(
            "SELECT n.idx, n.hash, d.data, e.salt, e.body, t.idx AS tombstone, r.idx AS retention, \
             g.idx AS governance FROM log_nodes n \
             LEFT JOIN log_leaf_data d ON d.idx = n.idx \
             LEFT JOIN log_entries e ON e.idx = n.idx \
             LEFT JOIN log_tombstones t ON t.idx = n.idx \
             LEFT JOIN log_retention r ON r.idx = n.idx \
             LEFT JOIN log_governance g ON g.idx = n.idx \
             WHERE n.level = 0 AND n.idx >= $1 AND n.idx < $2 ORDER BY n.idx",
        )
        .bind(to_i64(start)?)
        .bind(to_i64(end.min(i64::MAX as u64))?)
        .fetch_all(&self.fresh)
        .await?;
        rows.into_iter()
            .map(|r| {
                let details = match (r.salt, r.body, r.tombstone, r.retention, r.governance) {
                    (Some(salt), Some(body), _, _, _) => crate::LeafDetails::Present { salt, body },
                    (_, _, Some(_), _, _) => crate::LeafDetails::Tombstone,
                    (_, _, _, Some(_), _) => crate::LeafDetails::Retention,
                    (_, _, _, _, Some(_)) => crate::LeafDetails::Governance,
                    _ => crate::LeafDetails::Missing,
                };
                Ok(crate::LeafRecord {
                    idx: to_u64(r.idx)?,
                    leaf_hash: to_hash(&r.hash)?,
                    data: r.data,
                    details,
                })
            })
            .collect()
    }

    async fn log_node_range(
        &self,
        level: u8,
        start: u64,
        end: u64,
    ) -> crate::Result<Vec<(u64, samlet_merkle::Hash)>> {
        use crate::sql::access_log::{to_hash, to_i64, to_u64};
        let rows: Vec<crate::sql::access_log::NodeRow> = sqlx::query_as(
            "SELECT idx, hash FROM log_nodes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx",
        )
        .bind(i16::from(level))
        .bind(to_i64(start)?)
        .bind(to_i64(end.min(i64::MAX as u64))?)
        .fetch_all(&self.fresh)
        .await?;
        rows.into_iter()
            .map(|r| Ok((to_u64(r.idx)?, to_hash(&r.hash)?)))
            .collect()
    }

    async fn log_details_count(&self, start: u64, end: u64) -> crate::Result<crate::DetailsCount> {
        use crate::sql::access_log::{to_i64, to_u64};
        let c: crate::sql::access_log::DetailsCountRow = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM log_entries WHERE idx >= $1 AND idx < $2) AS present, \
                    (SELECT COUNT(*) FROM log_tombstones WHERE idx >= $1 AND idx < $2) AS tombstones",
        )
        .bind(to_i64(start)?)
        .bind(to_i64(end.min(i64::MAX as u64))?)
        .fetch_one(&self.fresh)
        .await?;
        Ok(crate::DetailsCount {
            present: to_u64(c.present)?,
            tombstones: to_u64(c.tombstones)?,
        })
    }

    async fn log_first_entry_since(
        &self,
        at: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<Option<u64>> {
        let idx: Option<i64> =
            sqlx::query_scalar("SELECT MIN(idx) FROM log_entries WHERE at >= $1")
                .bind(at)
                .fetch_one(&self.fresh)
                .await?;
        idx.map(crate::sql::access_log::to_u64).transpose()
    }

    async fn log_expired_before(&self) -> crate::Result<u64> {
        let k: Option<i64> = sqlx::query_scalar("SELECT MAX(expire_before) FROM log_retention")
            .fetch_one(&self.fresh)
            .await?;
        crate::sql::access_log::to_u64(k.unwrap_or(0))
    }

    async fn log_entries_for(
        &self,
        subject: &str,
        f: &crate::AccessLogFilter,
    ) -> crate::Result<Vec<crate::StoredLogEntry>> {
        // Open bounds become far-away dates so the SQL stays one statement.
        let (lo, hi) = crate::sql::access_log::open_bounds();
        let from = f.from.unwrap_or(lo);
        let to = f.to.unwrap_or(hi);
        let rows: Vec<crate::sql::access_log::EntryRow> = sqlx::query_as(
            "SELECT idx, salt, body FROM log_entries WHERE subject = $1 \
             AND ($2 = '' OR agency_org = $2) AND at >= $3 AND at < $4 \
             ORDER BY idx DESC LIMIT $5 OFFSET $6",
        )
        .bind(subject)
        .bind(f.agency_org.as_deref().unwrap_or(""))
        .bind(from)
        .bind(to)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(crate::StoredLogEntry {
                    idx: crate::sql::access_log::to_u64(r.idx)?,
                    salt: r.salt,
                    body: r.body,
                })
            })
            .collect()
    }

    async fn log_missing_details(&self) -> crate::Result<u64> {
        let c: crate::sql::access_log::MissingRow = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM log_nodes n WHERE n.level = 0 \
             AND NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.idx = n.idx) \
             AND NOT EXISTS (SELECT 1 FROM log_tombstones t WHERE t.idx = n.idx) \
             AND NOT EXISTS (SELECT 1 FROM log_retention r WHERE r.idx = n.idx) \
             AND NOT EXISTS (SELECT 1 FROM log_governance g WHERE g.idx = n.idx)) AS missing, \
             (SELECT COUNT(*) FROM log_tombstones t WHERE t.idx >= \
             COALESCE((SELECT MAX(expire_before) FROM log_retention), 0)) AS uncovered",
        )
        .fetch_one(&self.fresh)
        .await?;
        crate::sql::access_log::to_u64(c.missing + c.uncovered)
    }

    async fn log_expire(
        &self,
        batch: &crate::LogAppend,
        expire_before: u64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<u64> {
        use crate::sql::access_log::to_i64;
        let record = to_i64(batch.old_size)?;
        let before = to_i64(expire_before)?;
        let mut tx = self.writer.begin().await?;
        write_batch(&mut tx, batch).await?;
        sqlx::query("INSERT INTO log_retention (idx, expire_before) VALUES ($1, $2)")
            .bind(record)
            .bind(before)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO log_tombstones (idx, expired_at, retention_idx) \
             SELECT idx, $2, $3 FROM log_entries WHERE idx < $1",
        )
        .bind(before)
        .bind(now)
        .bind(record)
        .execute(&mut *tx)
        .await?;
        let r = sqlx::query("DELETE FROM log_entries WHERE idx < $1")
            .bind(before)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(r.rows_affected())
    }

    async fn log_latest_checkpoint(&self) -> crate::Result<Option<crate::StoredCheckpoint>> {
        let row: Option<crate::sql::access_log::CheckpointRow> = sqlx::query_as(
            "SELECT size, root, signed FROM log_checkpoints ORDER BY size DESC LIMIT 1",
        )
        .fetch_optional(&self.fresh)
        .await?;
        row.map(|r| {
            Ok(crate::StoredCheckpoint {
                size: crate::sql::access_log::to_u64(r.size)?,
                root: crate::sql::access_log::to_hash(&r.root)?,
                signed: r.signed,
            })
        })
        .transpose()
    }

    async fn log_save_checkpoint(
        &self,
        cp: &crate::StoredCheckpoint,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
        let r = sqlx::query(
            "INSERT INTO log_checkpoints (size, root, signed, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (size) DO NOTHING",
        )
        .bind(crate::sql::access_log::to_i64(cp.size)?)
        .bind(cp.root.to_vec())
        .bind(&cp.signed)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }
}
