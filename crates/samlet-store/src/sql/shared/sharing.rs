//! [`crate::SharingStore`]: sharing bases and the filtered overview.

use super::This;

#[async_trait::async_trait]
impl crate::SharingStore for This {
    async fn insert_sharing_basis(
        &self,
        b: &crate::NewSharingBasis,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO sharing_bases (id, reader_org, holder_org, category, purpose, legal_basis, \
             legal_ref, valid_from, valid_to, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&b.id)
        .bind(&b.reader_org)
        .bind(&b.holder_org)
        .bind(&b.category)
        .bind(&b.purpose)
        .bind(&b.legal_basis)
        .bind(&b.legal_ref)
        .bind(b.valid_from)
        .bind(b.valid_to)
        .bind(now)
        .bind(&b.created_by)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn sharing_basis(&self, id: &str) -> crate::Result<Option<crate::StoredSharingBasis>> {
        let sql = format!(
            "SELECT {} FROM sharing_bases WHERE id = $1",
            crate::sql::sharing::BASIS_COLUMNS
        );
        let row: Option<crate::sql::sharing::BasisRow> = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.fresh)
            .await?;
        Ok(row.map(crate::sql::sharing::basis))
    }

    async fn sharing_bases(
        &self,
        org: Option<&str>,
    ) -> crate::Result<Vec<crate::StoredSharingBasis>> {
        let sql = format!(
            "SELECT {} FROM sharing_bases WHERE $1 IS NULL OR reader_org = $1 OR holder_org = $1 \
             ORDER BY created_at DESC, id LIMIT 1000",
            crate::sql::sharing::BASIS_COLUMNS
        );
        let rows: Vec<crate::sql::sharing::BasisRow> = sqlx::query_as(&sql)
            .bind(org)
            .fetch_all(&self.reader)
            .await?;
        Ok(rows.into_iter().map(crate::sql::sharing::basis).collect())
    }

    async fn sharing_bases_between(
        &self,
        reader_org: &str,
        holder_org: &str,
    ) -> crate::Result<Vec<crate::StoredSharingBasis>> {
        let sql = format!(
            "SELECT {} FROM sharing_bases WHERE reader_org = $1 AND holder_org = $2 ORDER BY id",
            crate::sql::sharing::BASIS_COLUMNS
        );
        let rows: Vec<crate::sql::sharing::BasisRow> = sqlx::query_as(&sql)
            .bind(reader_org)
            .bind(holder_org)
            .fetch_all(&self.fresh)
            .await?;
        Ok(rows.into_iter().map(crate::sql::sharing::basis).collect())
    }

    async fn accept_sharing_basis(
        &self,
        id: &str,
        holder_org: &str,
        by: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
        let r = sqlx::query(
            "UPDATE sharing_bases SET accepted_at = $3, accepted_by = $4 \
             WHERE id = $1 AND holder_org = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(holder_org)
        .bind(now)
        .bind(by)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn revoke_sharing_basis(
        &self,
        id: &str,
        holder_org: Option<&str>,
        by: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
        let r = sqlx::query(
            "UPDATE sharing_bases SET revoked_at = $3, revoked_by = $4 \
             WHERE id = $1 AND ($2 IS NULL OR holder_org = $2) AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(holder_org)
        .bind(now)
        .bind(by)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn overview_filtered(
        &self,
        pid: &str,
        filter: &crate::OverviewFilter,
        limits: crate::OverviewLimits,
    ) -> crate::Result<crate::Overview> {
        use crate::sql::overview as ov;
        use crate::sql::sharing::org_list;
        let mut rows = ov::OverviewRows::default();
        // One read transaction: the parts agree with each other.
        let mut tx = self.reader.begin().await?;
        if !filter.cases.is_empty() {
            let sql = format!(
                "SELECT c.agency_id, c.case_id, c.title, c.status, c.service, c.url, c.opened_at, c.updated_at, a.org, a.name \
                 FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.pid = $1 AND a.org IN ({}) \
                 ORDER BY c.updated_at DESC",
                org_list(filter.cases.len())
            );
            let mut q = sqlx::query_as(&sql).bind(pid);
            for o in &filter.cases {
                q = q.bind(o);
            }
            rows.cases = q.fetch_all(&mut *tx).await?;
            if !rows.cases.is_empty() {
                let sql = format!(
                    "SELECT e.agency_id, e.case_id, e.status, e.at, e.note FROM case_events e \
                     JOIN cases c ON c.agency_id = e.agency_id AND c.case_id = e.case_id \
                     JOIN agencies a ON a.id = c.agency_id \
                     WHERE c.pid = $1 AND a.org IN ({}) ORDER BY e.at, e.id",
                    org_list(filter.cases.len())
                );
                let mut q = sqlx::query_as(&sql).bind(pid);
                for o in &filter.cases {
                    q = q.bind(o);
                }
                rows.events = q.fetch_all(&mut *tx).await?;
            }
        }
        if !filter.deadlines.is_empty() {
            let sql = format!(
                "SELECT d.deadline_id, d.title, d.due_date, d.due_at, d.case_id, d.url, a.org, a.name \
                 FROM deadlines d JOIN agencies a ON a.id = d.agency_id WHERE d.pid = $1 AND a.org IN ({})",
                org_list(filter.deadlines.len())
            );
            let mut q = sqlx::query_as(&sql).bind(pid);
            for o in &filter.deadlines {
                q = q.bind(o);
            }
            let mut d: Vec<ov::DeadlineRow> = q.fetch_all(&mut *tx).await?;
            // The citizen overview's order, the same on both backends.
            d.sort_by(|a, b| {
                (a.due_date, a.due_at, &a.title).cmp(&(b.due_date, b.due_at, &b.title))
            });
            rows.deadlines = d;
        }
        if !filter.benefits.is_empty() {
            let sql = format!(
                "SELECT b.benefit_id, b.name, b.amount_minor, b.currency, b.next_payment, a.org, a.name AS agency_name \
                 FROM benefits b JOIN agencies a ON a.id = b.agency_id WHERE b.pid = $1 AND a.org IN ({}) \
                 ORDER BY b.name",
                org_list(filter.benefits.len())
            );
            let mut q = sqlx::query_as(&sql).bind(pid);
            for o in &filter.benefits {
                q = q.bind(o);
            }
            rows.benefits = q.fetch_all(&mut *tx).await?;
        }
        if !filter.messages.is_empty() {
            let n = filter.messages.len();
            let sql = format!(
                "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN m.read_at IS NULL THEN 1 ELSE 0 END), 0) AS unread \
                 FROM messages m JOIN agencies a ON a.id = m.agency_id WHERE m.pid = $1 AND a.org IN ({})",
                org_list(n)
            );
            let mut q = sqlx::query_as::<_, ov::MessageCounts>(&sql).bind(pid);
            for o in &filter.messages {
                q = q.bind(o);
            }
            rows.message_counts = q.fetch_one(&mut *tx).await?;
            let sql = format!(
                "SELECT m.message_id, m.subject, m.sent_at, m.read_at, a.org, a.name \
                 FROM messages m JOIN agencies a ON a.id = m.agency_id WHERE m.pid = $1 AND a.org IN ({}) \
                 ORDER BY m.sent_at DESC, m.message_id LIMIT ${}",
                org_list(n),
                n + 2
            );
            let mut q = sqlx::query_as(&sql).bind(pid);
            for o in &filter.messages {
                q = q.bind(o);
            }
            rows.messages = q.bind(limits.messages).fetch_all(&mut *tx).await?;
        }
        tx.commit().await?;
        rows.assemble(limits)
    }
}
