-- Servers following the change feed: one row per running server (its
-- lease id, a random number), with the feed position its in-memory
-- indexes have applied. A server is live while its session holds the
-- advisory lock (LEASE_CLASS, id); rows of servers that are not live are
-- deleted by the next prune. `changes` rows below the smallest `applied`
-- of the live servers are needed by nobody and are pruned.
CREATE TABLE replicas (
    id      integer     PRIMARY KEY,
    applied bigint      NOT NULL,
    started timestamptz NOT NULL DEFAULT now()
);
