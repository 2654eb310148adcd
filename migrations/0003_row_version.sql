-- Migration 3: a row version on connections.
--
-- Every write of a connection row adds one to `version`. A revalidation reads each connection when it loads it
-- and records the run with `UPDATE … WHERE id = ? AND version = ?`: while nothing else wrote the row meanwhile
-- (the usual case), the run applies to the row as loaded and recording needs no second read of it; when the
-- update matches no row, the row is read again and the run applied to what is stored now, as before.
--
-- Adding a column with a constant default rewrites no row: SQLite supplies the default for rows stored before.
ALTER TABLE connections ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
