-- Offers keep what they say as message ids with arguments, rendered in the reader's language
-- when read, instead of texts translated when the offer was made (bokmål and English only).
-- SQLite twin of migrations/postgres/0014_offer_messages.sql: keep them in step.
--
-- The title is the offer's message id in the content catalogue (offers.yaml's `title`). The
-- explanation is `rules-explanation` (argument `trace`: the evaluation's trace, which the rules
-- crate explains in any language) or `offer-rules-changed` (arguments `date` and `trace`).
--
-- Existing rows: a title that is one of the shipped offers' texts gets that offer's message id.
-- Texts that cannot be mapped back (explanations, which were rendered from a trace that was not
-- kept, and titles of offers that are not shipped) get the id `stored-text` with the stored
-- texts as arguments `nb` and `en`: English readers read `en`, everyone else `nb`, as before.
ALTER TABLE offers ADD COLUMN title_id TEXT NOT NULL DEFAULT 'stored-text';
ALTER TABLE offers ADD COLUMN title_args TEXT NOT NULL DEFAULT '{}';
ALTER TABLE offers ADD COLUMN explanation_id TEXT NOT NULL DEFAULT 'stored-text';
ALTER TABLE offers ADD COLUMN explanation_args TEXT NOT NULL DEFAULT '{}';

UPDATE offers SET
    title_id = CASE
        WHEN title_nb = 'barnetrygd' AND title_en = 'child benefit'
            THEN 'offer-child-benefit-after-birth-title'
        WHEN title_nb = 'gravferdsstønad' AND title_en = 'a funeral grant'
            THEN 'offer-funeral-grant-after-death-title'
        ELSE 'stored-text'
    END,
    title_args = CASE
        WHEN (title_nb = 'barnetrygd' AND title_en = 'child benefit')
          OR (title_nb = 'gravferdsstønad' AND title_en = 'a funeral grant')
            THEN '{}'
        ELSE json_object('nb', title_nb, 'en', title_en)
    END,
    explanation_id = 'stored-text',
    explanation_args = json_object('nb', explanation_nb, 'en', explanation_en);

ALTER TABLE offers DROP COLUMN title_nb;
ALTER TABLE offers DROP COLUMN title_en;
ALTER TABLE offers DROP COLUMN explanation_nb;
ALTER TABLE offers DROP COLUMN explanation_en;
