-- Faster police data imports (issue 5). The raw rows keep the month as data.police.uk writes it
-- (YYYY-MM), so each file's lines can go to COPY as they are.
ALTER TABLE "crime_outcomes" ALTER COLUMN "month" SET DATA TYPE text USING to_char("month", 'YYYY-MM');--> statement-breakpoint
ALTER TABLE "stop_searches" ALTER COLUMN "month" SET DATA TYPE text USING to_char("month", 'YYYY-MM');--> statement-breakpoint
ALTER TABLE "street_crimes" ALTER COLUMN "month" SET DATA TYPE text USING to_char("month", 'YYYY-MM');--> statement-breakpoint
-- The counts per LSOA and crime type move into one row per LSOA (by_crime_type), a third as many
-- rows to write, and the table of one row per LSOA and type goes.
ALTER TABLE "crime_counts_by_lsoa_month" ADD COLUMN "by_crime_type" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "crime_counts_by_lsoa_month" AS m SET "by_crime_type" = t."counts"
  FROM (SELECT "file_id", "lsoa_code", jsonb_object_agg("crime_type", "count") AS "counts" FROM "crime_counts_by_lsoa" GROUP BY "file_id", "lsoa_code") AS t
  WHERE t."file_id" = m."file_id" AND t."lsoa_code" = m."lsoa_code";--> statement-breakpoint
DROP TABLE "crime_counts_by_lsoa" CASCADE;--> statement-breakpoint
CREATE INDEX "crime_counts_by_lsoa_month_code_idx" ON "crime_counts_by_lsoa_month" USING btree ("force_area_id","lsoa_code","month");--> statement-breakpoint
-- A replaced file's aggregates are found by (force area, month): no file id index to keep up.
DROP INDEX "crime_counts_by_lsoa_month_file_idx";--> statement-breakpoint
DROP INDEX "crime_counts_by_month_file_idx";--> statement-breakpoint
DROP INDEX "crime_counts_by_outcome_file_idx";--> statement-breakpoint
DROP INDEX "outcome_counts_file_idx";--> statement-breakpoint
DROP INDEX "stop_search_counts_file_idx";
