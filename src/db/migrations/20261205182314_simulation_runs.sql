CREATE TABLE "simulation_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"sop_id" text,
	"k" integer NOT NULL,
	"model" text NOT NULL,
	"total" integer NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"progress_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "simulation_trials" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"sop_id" text NOT NULL,
	"file" text NOT NULL,
	"name" text NOT NULL,
	"goal" text NOT NULL,
	"trial" integer NOT NULL,
	"ok" boolean NOT NULL,
	"failures" jsonb NOT NULL,
	"turns" integer NOT NULL,
	"ms" integer NOT NULL,
	"conversation" jsonb NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "simulation_trials" ADD CONSTRAINT "simulation_trials_run_id_simulation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."simulation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "simulation_trials_run_idx" ON "simulation_trials" USING btree ("run_id");