-- Events written before this migration keep null: a stream resuming after one of them replays by seq alone.
ALTER TABLE "timeline_events" ADD COLUMN "tx" bigint;--> statement-breakpoint
ALTER TABLE "timeline_events" ALTER COLUMN "tx" SET DEFAULT (pg_current_xact_id()::text::bigint);--> statement-breakpoint
ALTER TABLE "timeline_events" ADD COLUMN "horizon" bigint;--> statement-breakpoint
ALTER TABLE "timeline_events" ALTER COLUMN "horizon" SET DEFAULT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint);--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_seq_idx" ON "timeline_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "timeline_tx_idx" ON "timeline_events" USING btree ("tx");
