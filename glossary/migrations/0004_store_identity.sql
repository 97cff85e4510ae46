-- The identity of this database as a glossary store: a random id drawn
-- once, when this migration runs. A server's index cache (a snapshot of
-- its in-memory lookup index, tagged with the change-feed position it
-- reflects) is filed under this id, so a cache written for another
-- database is never loaded. It lives outside `kv`, so `copy-store` gives
-- the copy an id of its own (its feed positions mean other changes).
CREATE TABLE store_identity (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    id  text    NOT NULL
);
INSERT INTO store_identity (id) VALUES (replace(gen_random_uuid()::text, '-', ''));
