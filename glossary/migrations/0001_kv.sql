-- Every record of the store: one row per (keyspace, key), as the sled
-- backend keeps one tree per keyspace. `tree` is store::backend::Tree::code();
-- keys and values are the same bytes the sled backend stores. bytea sorts
-- bytewise, the order the store's range scans rely on.
CREATE TABLE kv (
    tree smallint NOT NULL,
    k    bytea    NOT NULL,
    v    bytea    NOT NULL,
    PRIMARY KEY (tree, k)
);
