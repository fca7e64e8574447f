CREATE TABLE "approval_policies" (
	"actor_kind" text PRIMARY KEY NOT NULL,
	"refund_max_amount" bigint,
	"refund_currency" text,
	"refunds_per_customer_per_day" integer,
	"approval_tools" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "approval_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"tool" text NOT NULL,
	"arguments" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"preview" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"role" text NOT NULL,
	"scope_customer_id" text,
	"customer_id" text,
	"order_id" text,
	"amount" bigint,
	"currency" text,
	"status" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"result" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "velocity_uses" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_kind" text NOT NULL,
	"customer_id" text NOT NULL,
	"day" date NOT NULL,
	"tool" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "customer_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "approval_requests_tool_key_idx" ON "approval_requests" USING btree ("tool","idempotency_key");--> statement-breakpoint
CREATE INDEX "approval_requests_pending_idx" ON "approval_requests" USING btree ("created_at") WHERE "approval_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "velocity_uses_day_idx" ON "velocity_uses" USING btree ("actor_kind","customer_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "velocity_uses_key_idx" ON "velocity_uses" USING btree ("actor_kind","tool","idempotency_key");--> statement-breakpoint
INSERT INTO "approval_policies" ("actor_kind", "refund_max_amount", "refund_currency", "refunds_per_customer_per_day", "approval_tools", "updated_at", "updated_by") VALUES
  ('ai_agent', 10000, 'USD', 2, '[]'::jsonb, now(), 'default'),
  ('agent', 50000, 'USD', NULL, '[]'::jsonb, now(), 'default'),
  ('admin', NULL, NULL, NULL, '[]'::jsonb, now(), 'default')
ON CONFLICT DO NOTHING;
