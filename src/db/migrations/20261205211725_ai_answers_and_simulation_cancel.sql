ALTER TABLE "ai_conversations" ADD COLUMN "early_answers" jsonb;--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "reasks" jsonb;--> statement-breakpoint
ALTER TABLE "simulation_runs" ADD COLUMN "canceled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "simulation_runs" ADD COLUMN "canceled_by" text;