CREATE TABLE "ai_conversations" (
	"conversation_id" text PRIMARY KEY NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"run_id" text,
	"read_seq" bigint DEFAULT 0 NOT NULL,
	"sent_messages" integer DEFAULT 0 NOT NULL,
	"awaiting_confirm" jsonb,
	"model_calls" integer DEFAULT 0 NOT NULL,
	"tokens" integer DEFAULT 0 NOT NULL,
	"leased_until" timestamp with time zone,
	"lease_owner" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_turns" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"conversation_id" text NOT NULL,
	"run_id" text,
	"outcome" text NOT NULL,
	"step_before" text,
	"step_after" text,
	"message_ids" jsonb NOT NULL,
	"model_calls" integer NOT NULL,
	"tokens" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"trace" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD CONSTRAINT "ai_conversations_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_turns" ADD CONSTRAINT "ai_turns_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_turns_conversation_idx" ON "ai_turns" USING btree ("conversation_id","seq");