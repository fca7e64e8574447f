CREATE TABLE "sop_documents" (
	"hash" text PRIMARY KEY NOT NULL,
	"sop_id" text NOT NULL,
	"version" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sop_run_steps" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"step_id" text NOT NULL,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"data" jsonb NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"completed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sop_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"sop_id" text NOT NULL,
	"sop_version" text NOT NULL,
	"sop_hash" text NOT NULL,
	"customer_id" text,
	"conversation_id" text,
	"status" text NOT NULL,
	"current_step_id" text,
	"state" jsonb NOT NULL,
	"revision" integer NOT NULL,
	"started_by_kind" text NOT NULL,
	"started_by_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sop_run_steps" ADD CONSTRAINT "sop_run_steps_run_id_sop_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."sop_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sop_runs" ADD CONSTRAINT "sop_runs_sop_hash_sop_documents_hash_fk" FOREIGN KEY ("sop_hash") REFERENCES "public"."sop_documents"("hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sop_run_steps_run_idx" ON "sop_run_steps" USING btree ("run_id","seq");--> statement-breakpoint
CREATE INDEX "sop_runs_customer_idx" ON "sop_runs" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "sop_runs_status_idx" ON "sop_runs" USING btree ("status");