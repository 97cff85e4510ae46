-- The change feed: one row per key inserted or removed, written in the
-- transaction that changed it, so a reader that has seen every row up to
-- `seq` has seen every committed change it names. Replicas read it from
-- their last seen `seq` to keep their in-memory indexes in step.
CREATE TABLE changes (
    seq  bigserial PRIMARY KEY,
    tree smallint  NOT NULL,
    k    bytea     NOT NULL
);
