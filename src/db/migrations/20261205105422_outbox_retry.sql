DROP INDEX "outbox_pending_idx";--> statement-breakpoint
DROP INDEX "outbox_customer_pending_idx";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
-- Rows given up before this migration (all 5 attempts of the old fixed limit used) stay given up.
UPDATE "outbox" SET "failed_at" = "created_at" WHERE "delivered_at" IS NULL AND "attempts" >= 5;--> statement-breakpoint
CREATE INDEX "outbox_failed_idx" ON "outbox" USING btree ("seq") WHERE "outbox"."failed_at" is not null and "outbox"."delivered_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("seq") WHERE "outbox"."delivered_at" is null and "outbox"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_customer_pending_idx" ON "outbox" USING btree ("customer_id","seq") WHERE "outbox"."delivered_at" is null and "outbox"."failed_at" is null;