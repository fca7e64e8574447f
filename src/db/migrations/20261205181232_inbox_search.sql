CREATE INDEX "customer_emails_prefix_idx" ON "customer_emails" USING btree (lower("email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_name_prefix_idx" ON "customers" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_last_name_prefix_idx" ON "customers" USING btree (lower(regexp_replace("name", '^.*\s', '')) text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_digits_prefix_idx" ON "customers" USING btree ("phone_digits" text_pattern_ops);