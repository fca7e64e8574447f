-- The oldest transaction of this database still running, as a 64-bit transaction id; the snapshot's xmax when none is.
-- Transactions of other databases on the same server are left out: they write no events here, and counting them made
-- a live stream that came back resend events it already had whenever another database held a long transaction.
-- The snapshot lists the running transactions below its xmax (those at or above it are newer than every one it lists);
-- pg_stat_get_activity says which of them belong to this database (its cache is cleared first, so it is current).
CREATE OR REPLACE FUNCTION oldest_running_tx() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT pg_stat_clear_snapshot();
  SELECT coalesce(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) x
      WHERE x::text::bigint % 4294967296 IN (
        SELECT a.backend_xid::text::bigint FROM pg_stat_get_activity(null) a
        WHERE a.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND a.backend_xid IS NOT NULL)),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
$$;--> statement-breakpoint
ALTER TABLE "timeline_events" ALTER COLUMN "horizon" SET DEFAULT oldest_running_tx();
