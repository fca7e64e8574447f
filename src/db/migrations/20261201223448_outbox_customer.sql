ALTER TABLE "outbox" ADD COLUMN "customer_id" text;--> statement-breakpoint
-- Rows still to deliver when this runs keep their order per customer too.
UPDATE "outbox" SET "customer_id" = "payload"->>'customerId' WHERE "delivered_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_customer_pending_idx" ON "outbox" USING btree ("customer_id","seq") WHERE "outbox"."delivered_at" is null;
