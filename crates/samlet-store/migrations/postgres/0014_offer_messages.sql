-- Offers keep what they say as message ids with arguments, rendered in the reader's language
-- when read, instead of texts translated when the offer was made (bokmål and English only).
-- PostgreSQL twin of migrations/sqlite/0014_offer_messages.sql: keep them in step (the comments
-- there say what the ids and arguments are and how existing rows are converted).
ALTER TABLE offers
    ADD COLUMN title_id TEXT NOT NULL DEFAULT 'stored-text',
    ADD COLUMN title_args TEXT NOT NULL DEFAULT '{}',
    ADD COLUMN explanation_id TEXT NOT NULL DEFAULT 'stored-text',
    ADD COLUMN explanation_args TEXT NOT NULL DEFAULT '{}';

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
        ELSE json_build_object('nb', title_nb, 'en', title_en)::text
    END,
    explanation_id = 'stored-text',
    explanation_args = json_build_object('nb', explanation_nb, 'en', explanation_en)::text;

ALTER TABLE offers
    DROP COLUMN title_nb,
    DROP COLUMN title_en,
    DROP COLUMN explanation_nb,
    DROP COLUMN explanation_en;
