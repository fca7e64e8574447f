ALTER TABLE "ai_conversations" ADD COLUMN "early_answers" jsonb;--> statement-breakpoint
ALTER TABLE "ai_conversations" ADD COLUMN "reasks" jsonb;