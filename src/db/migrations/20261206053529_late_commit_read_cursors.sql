-- Messages written before this migration keep a null tx (added without a default, so the table is not rewritten): a
-- read cursor compares them by seq alone. Cursors stored before keep a null horizon and an empty seen: seq alone too.
ALTER TABLE "messages" ADD COLUMN "tx" bigint;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "tx" SET DEFAULT (pg_current_xact_id()::text::bigint);--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "read_horizon" bigint;--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "read_seen" bigint[] DEFAULT '{}'::bigint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "checked_event_horizon" bigint;--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "checked_event_seen" bigint[] DEFAULT '{}'::bigint[] NOT NULL;
