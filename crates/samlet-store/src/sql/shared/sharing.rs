//! [`crate::SharingStore`]: sharing bases and the filtered overview.

use super::{Db, This};

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
        let mut rows = ov::OverviewRows::default();
        // One read transaction: the parts agree with each other.
        let mut tx = self.reader.begin().await?;
        if !filter.cases.is_empty() {
            rows.cases = of_orgs(
                FILTERED_CASES,
                pid,
                &filter.cases,
                " ORDER BY c.updated_at DESC",
            )
            .build_query_as()
            .fetch_all(&mut *tx)
            .await?;
            if !rows.cases.is_empty() {
                let by_time = " ORDER BY e.at, e.id";
                rows.events = of_orgs(FILTERED_EVENTS, pid, &filter.cases, by_time)
                    .build_query_as()
                    .fetch_all(&mut *tx)
                    .await?;
            }
        }
        if !filter.deadlines.is_empty() {
            let mut d: Vec<ov::DeadlineRow> =
                of_orgs(FILTERED_DEADLINES, pid, &filter.deadlines, "")
                    .build_query_as()
                    .fetch_all(&mut *tx)
                    .await?;
            // The citizen overview's order, the same on both backends.
            d.sort_by(|a, b| {
                (a.due_date, a.due_at, &a.title).cmp(&(b.due_date, b.due_at, &b.title))
            });
            rows.deadlines = d;
        }
        if !filter.benefits.is_empty() {
            rows.benefits = of_orgs(FILTERED_BENEFITS, pid, &filter.benefits, " ORDER BY b.name")
                .build_query_as()
                .fetch_all(&mut *tx)
                .await?;
        }
        if !filter.messages.is_empty() {
            rows.message_counts = of_orgs(FILTERED_MESSAGE_COUNTS, pid, &filter.messages, "")
                .build_query_as()
                .fetch_one(&mut *tx)
                .await?;
            let newest_first = " ORDER BY m.sent_at DESC, m.message_id LIMIT ";
            let mut q = of_orgs(FILTERED_MESSAGES, pid, &filter.messages, newest_first);
            q.push_bind(limits.messages);
            rows.messages = q.build_query_as().fetch_all(&mut *tx).await?;
        }
        tx.commit().await?;
        rows.assemble(limits)
    }
}

/// `head` (which ends in `WHERE x.pid = `) with the person and the agencies
/// (`a.org`) bound, then `tail`.
fn of_orgs<'a>(
    head: &str,
    pid: &'a str,
    orgs: &'a [String],
    tail: &str,
) -> sqlx::QueryBuilder<'a, Db> {
    let mut q = sqlx::QueryBuilder::new(head);
    q.push_bind(pid).push(" AND a.org IN (");
    let mut list = q.separated(", ");
    for org in orgs {
        list.push_bind(org);
    }
    q.push(")").push(tail);
    q
}

const FILTERED_CASES: &str = "SELECT c.agency_id, c.case_id, c.title, c.status, c.service, \
     c.url, c.opened_at, c.updated_at, a.org, a.name \
     FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.pid = ";
const FILTERED_EVENTS: &str = "SELECT e.agency_id, e.case_id, e.status, e.at, e.note \
     FROM case_events e JOIN cases c ON c.agency_id = e.agency_id AND c.case_id = e.case_id \
     JOIN agencies a ON a.id = c.agency_id WHERE c.pid = ";
const FILTERED_DEADLINES: &str = "SELECT d.deadline_id, d.title, d.due_date, d.due_at, \
     d.case_id, d.url, a.org, a.name \
     FROM deadlines d JOIN agencies a ON a.id = d.agency_id WHERE d.pid = ";
const FILTERED_BENEFITS: &str = "SELECT b.benefit_id, b.name, b.amount_minor, b.currency, \
     b.next_payment, a.org, a.name AS agency_name \
     FROM benefits b JOIN agencies a ON a.id = b.agency_id WHERE b.pid = ";
const FILTERED_MESSAGE_COUNTS: &str = "SELECT COUNT(*) AS total, \
     COALESCE(SUM(CASE WHEN m.read_at IS NULL THEN 1 ELSE 0 END), 0) AS unread \
     FROM messages m JOIN agencies a ON a.id = m.agency_id WHERE m.pid = ";
const FILTERED_MESSAGES: &str = "SELECT m.message_id, m.subject, m.sent_at, m.read_at, \
     a.org, a.name \
     FROM messages m JOIN agencies a ON a.id = m.agency_id WHERE m.pid = ";
