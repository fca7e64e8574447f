CREATE TABLE "rate_limit_buckets" (
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"tokens" double precision NOT NULL,
	"at" bigint NOT NULL,
	"ok" boolean NOT NULL,
	CONSTRAINT "rate_limit_buckets_bucket_key_pk" PRIMARY KEY("bucket","key")
);
--> statement-breakpoint
CREATE INDEX "rate_limit_buckets_at_idx" ON "rate_limit_buckets" USING btree ("at");