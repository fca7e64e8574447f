ALTER TABLE "customers" ADD COLUMN "shopify_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "shopify_updated_at" timestamp with time zone;