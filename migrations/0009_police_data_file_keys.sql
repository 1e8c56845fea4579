-- Raw police data rows are filed under their file's small number (row_key) instead of its uuid:
-- 4 bytes a row, and COPY takes it from a session setting, so the lines go to COPY as they are.
ALTER TABLE "police_data_files" ADD COLUMN "row_key" integer NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "police_data_files_row_key_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "police_data_files" ADD CONSTRAINT "police_data_files_row_key_unique" UNIQUE("row_key");--> statement-breakpoint
DROP INDEX "crime_outcomes_file_idx";--> statement-breakpoint
DROP INDEX "stop_searches_file_idx";--> statement-breakpoint
DROP INDEX "street_crimes_file_idx";--> statement-breakpoint
ALTER TABLE "crime_outcomes" ADD COLUMN "file_key" integer;--> statement-breakpoint
ALTER TABLE "stop_searches" ADD COLUMN "file_key" integer;--> statement-breakpoint
ALTER TABLE "street_crimes" ADD COLUMN "file_key" integer;--> statement-breakpoint
-- Rows already held move to their file's key.
UPDATE "crime_outcomes" AS r SET "file_key" = f."row_key" FROM "police_data_files" AS f WHERE f."id" = r."file_id";--> statement-breakpoint
UPDATE "stop_searches" AS r SET "file_key" = f."row_key" FROM "police_data_files" AS f WHERE f."id" = r."file_id";--> statement-breakpoint
UPDATE "street_crimes" AS r SET "file_key" = f."row_key" FROM "police_data_files" AS f WHERE f."id" = r."file_id";--> statement-breakpoint
ALTER TABLE "crime_outcomes" ALTER COLUMN "file_key" SET DEFAULT (current_setting('pcp.police_data_file_key'))::integer, ALTER COLUMN "file_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "stop_searches" ALTER COLUMN "file_key" SET DEFAULT (current_setting('pcp.police_data_file_key'))::integer, ALTER COLUMN "file_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "street_crimes" ALTER COLUMN "file_key" SET DEFAULT (current_setting('pcp.police_data_file_key'))::integer, ALTER COLUMN "file_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "crime_outcomes" DROP COLUMN "file_id";--> statement-breakpoint
ALTER TABLE "stop_searches" DROP COLUMN "file_id";--> statement-breakpoint
ALTER TABLE "street_crimes" DROP COLUMN "file_id";--> statement-breakpoint
CREATE INDEX "crime_outcomes_file_idx" ON "crime_outcomes" USING brin ("file_key");--> statement-breakpoint
CREATE INDEX "stop_searches_file_idx" ON "stop_searches" USING brin ("file_key");--> statement-breakpoint
CREATE INDEX "street_crimes_file_idx" ON "street_crimes" USING brin ("file_key");
