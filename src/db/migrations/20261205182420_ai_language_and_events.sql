ALTER TABLE "ai_conversations" ADD COLUMN "checked_event_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "language" text;