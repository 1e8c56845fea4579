CREATE TABLE "crime_counts_by_lsoa" (
	"file_id" uuid NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"crime_type" text NOT NULL,
	"lsoa_code" text NOT NULL,
	"lsoa_name" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crime_counts_by_lsoa_month" (
	"file_id" uuid NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"lsoa_code" text NOT NULL,
	"lsoa_name" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crime_counts_by_month" (
	"file_id" uuid NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"crime_type" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crime_counts_by_outcome" (
	"file_id" uuid NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"crime_type" text NOT NULL,
	"outcome_category" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crime_outcomes" (
	"file_id" uuid NOT NULL,
	"month" date NOT NULL,
	"crime_id" text NOT NULL,
	"reported_by" text NOT NULL,
	"falls_within" text NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"location" text NOT NULL,
	"lsoa_code" text,
	"lsoa_name" text,
	"outcome_type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_commentaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"measure_lineage_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"what_is_happening" text NOT NULL,
	"what_is_being_done" text DEFAULT '' NOT NULL,
	"written_by" uuid,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"status" text NOT NULL,
	"rows" jsonb NOT NULL,
	"rejected" jsonb NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "measure_settings" (
	"plan_id" uuid NOT NULL,
	"measure_lineage_id" uuid NOT NULL,
	"grading_rule" text DEFAULT 'target' NOT NULL,
	"amber_margin_percent" numeric DEFAULT 5 NOT NULL,
	"derived" jsonb,
	"national_measure_code" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_settings_plan_id_measure_lineage_id_pk" PRIMARY KEY("plan_id","measure_lineage_id"),
	CONSTRAINT "measure_settings_rule_check" CHECK ("measure_settings"."grading_rule" in ('target', 'baseline', 'trend', 'none')),
	CONSTRAINT "measure_settings_margin_check" CHECK ("measure_settings"."amber_margin_percent" >= 0 and "measure_settings"."amber_margin_percent" <= 100)
);
--> statement-breakpoint
CREATE TABLE "measure_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"measure_lineage_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"revision" integer NOT NULL,
	"value" numeric NOT NULL,
	"numerator" numeric,
	"denominator" numeric,
	"confidence_lower" numeric,
	"confidence_upper" numeric,
	"most_similar_group_average" numeric,
	"source" text NOT NULL,
	"source_note" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"measure_import_id" uuid,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_values_period_kind_check" CHECK ("measure_values"."period_kind" in ('month', 'quarter', 'financial_year')),
	CONSTRAINT "measure_values_source_check" CHECK ("measure_values"."source" in ('form', 'file', 'derived')),
	CONSTRAINT "measure_values_revision_check" CHECK ("measure_values"."revision" >= 1),
	CONSTRAINT "measure_values_interval_check" CHECK (("measure_values"."confidence_lower" is null and "measure_values"."confidence_upper" is null) or ("measure_values"."confidence_lower" <= "measure_values"."value" and "measure_values"."value" <= "measure_values"."confidence_upper"))
);
--> statement-breakpoint
CREATE TABLE "outcome_counts" (
	"file_id" uuid NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"outcome_type" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "performance_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"period_start" date NOT NULL,
	"title" text NOT NULL,
	"content" jsonb NOT NULL,
	"generated_by" uuid,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "performance_reports_kind_check" CHECK ("performance_reports"."kind" in ('quarterly', 'national_statement'))
);
--> statement-breakpoint
CREATE TABLE "police_data_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"import_id" uuid NOT NULL,
	"entry_name" text NOT NULL,
	"kind" text,
	"force_area_id" text,
	"month" date,
	"status" text DEFAULT 'pending' NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_imported" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"rejections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "police_data_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"stored_path" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "police_datasets" (
	"kind" text NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"file_id" uuid NOT NULL,
	"row_count" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "police_datasets_kind_force_area_id_month_pk" PRIMARY KEY("kind","force_area_id","month")
);
--> statement-breakpoint
CREATE TABLE "priority_summaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"priority_lineage_id" uuid NOT NULL,
	"quarter_start" date NOT NULL,
	"summary" text NOT NULL,
	"written_by" uuid,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stop_search_counts" (
	"file_id" uuid NOT NULL,
	"force_area_id" text NOT NULL,
	"month" date NOT NULL,
	"object_of_search" text NOT NULL,
	"outcome" text NOT NULL,
	"officer_defined_ethnicity" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stop_searches" (
	"file_id" uuid NOT NULL,
	"month" date NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"part_of_policing_operation" boolean,
	"policing_operation" text,
	"latitude" double precision,
	"longitude" double precision,
	"gender" text,
	"age_range" text,
	"self_defined_ethnicity" text,
	"officer_defined_ethnicity" text,
	"legislation" text,
	"object_of_search" text,
	"outcome" text,
	"outcome_linked_to_object" boolean,
	"removal_of_more_than_outer_clothing" boolean
);
--> statement-breakpoint
CREATE TABLE "street_crimes" (
	"file_id" uuid NOT NULL,
	"month" date NOT NULL,
	"crime_id" text,
	"reported_by" text NOT NULL,
	"falls_within" text NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"location" text NOT NULL,
	"lsoa_code" text,
	"lsoa_name" text,
	"crime_type" text NOT NULL,
	"last_outcome_category" text,
	"context" text
);
--> statement-breakpoint
ALTER TABLE "measure_commentaries" ADD CONSTRAINT "measure_commentaries_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_commentaries" ADD CONSTRAINT "measure_commentaries_written_by_users_id_fk" FOREIGN KEY ("written_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_imports" ADD CONSTRAINT "measure_imports_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_imports" ADD CONSTRAINT "measure_imports_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_settings" ADD CONSTRAINT "measure_settings_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_settings" ADD CONSTRAINT "measure_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_values" ADD CONSTRAINT "measure_values_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_values" ADD CONSTRAINT "measure_values_measure_import_id_measure_imports_id_fk" FOREIGN KEY ("measure_import_id") REFERENCES "public"."measure_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_values" ADD CONSTRAINT "measure_values_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_reports" ADD CONSTRAINT "performance_reports_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_reports" ADD CONSTRAINT "performance_reports_generated_by_users_id_fk" FOREIGN KEY ("generated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_data_files" ADD CONSTRAINT "police_data_files_import_id_police_data_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."police_data_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_data_files" ADD CONSTRAINT "police_data_files_force_area_id_force_areas_id_fk" FOREIGN KEY ("force_area_id") REFERENCES "public"."force_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_data_imports" ADD CONSTRAINT "police_data_imports_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_data_imports" ADD CONSTRAINT "police_data_imports_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_datasets" ADD CONSTRAINT "police_datasets_force_area_id_force_areas_id_fk" FOREIGN KEY ("force_area_id") REFERENCES "public"."force_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "police_datasets" ADD CONSTRAINT "police_datasets_file_id_police_data_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."police_data_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_summaries" ADD CONSTRAINT "priority_summaries_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_summaries" ADD CONSTRAINT "priority_summaries_written_by_users_id_fk" FOREIGN KEY ("written_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crime_counts_by_lsoa_idx" ON "crime_counts_by_lsoa" USING btree ("force_area_id","month","crime_type");--> statement-breakpoint
CREATE INDEX "crime_counts_by_lsoa_code_idx" ON "crime_counts_by_lsoa" USING btree ("force_area_id","lsoa_code","month");--> statement-breakpoint
CREATE INDEX "crime_counts_by_lsoa_file_idx" ON "crime_counts_by_lsoa" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "crime_counts_by_lsoa_month_idx" ON "crime_counts_by_lsoa_month" USING btree ("force_area_id","month");--> statement-breakpoint
CREATE INDEX "crime_counts_by_lsoa_month_file_idx" ON "crime_counts_by_lsoa_month" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "crime_counts_by_month_idx" ON "crime_counts_by_month" USING btree ("force_area_id","month","crime_type");--> statement-breakpoint
CREATE INDEX "crime_counts_by_month_file_idx" ON "crime_counts_by_month" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "crime_counts_by_outcome_idx" ON "crime_counts_by_outcome" USING btree ("force_area_id","month");--> statement-breakpoint
CREATE INDEX "crime_counts_by_outcome_file_idx" ON "crime_counts_by_outcome" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "crime_outcomes_file_idx" ON "crime_outcomes" USING brin ("file_id");--> statement-breakpoint
CREATE UNIQUE INDEX "measure_commentaries_period_key" ON "measure_commentaries" USING btree ("plan_id","measure_lineage_id","period_kind","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "measure_values_revision_key" ON "measure_values" USING btree ("plan_id","measure_lineage_id","period_kind","period_start","revision");--> statement-breakpoint
CREATE INDEX "outcome_counts_idx" ON "outcome_counts" USING btree ("force_area_id","month");--> statement-breakpoint
CREATE INDEX "outcome_counts_file_idx" ON "outcome_counts" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "performance_reports_plan_idx" ON "performance_reports" USING btree ("plan_id","period_start");--> statement-breakpoint
CREATE INDEX "police_data_files_import_idx" ON "police_data_files" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "priority_summaries_quarter_key" ON "priority_summaries" USING btree ("plan_id","priority_lineage_id","quarter_start");--> statement-breakpoint
CREATE INDEX "stop_search_counts_idx" ON "stop_search_counts" USING btree ("force_area_id","month");--> statement-breakpoint
CREATE INDEX "stop_search_counts_file_idx" ON "stop_search_counts" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "stop_searches_file_idx" ON "stop_searches" USING brin ("file_id");--> statement-breakpoint
CREATE INDEX "street_crimes_file_idx" ON "street_crimes" USING brin ("file_id");--> statement-breakpoint
-- Measure values are a record: a correction is a new revision, never an edit of the old figure.
CREATE FUNCTION measure_values_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'measure_values is append-only: record a correction as a new revision';
END $$;
--> statement-breakpoint
CREATE TRIGGER measure_values_append_only BEFORE UPDATE ON measure_values FOR EACH ROW EXECUTE FUNCTION measure_values_refuse_update();
