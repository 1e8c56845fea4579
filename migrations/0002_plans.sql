CREATE TABLE "commitment_partners" (
	"commitment_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	CONSTRAINT "commitment_partners_commitment_id_partner_id_pk" PRIMARY KEY("commitment_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"objective_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"owner_kind" text,
	"owner_role" text,
	"timescale" text,
	"target_date" date,
	"status" text DEFAULT 'not_started' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "commitments_owner_kind_check" CHECK ("commitments"."owner_kind" is null or "commitments"."owner_kind" in ('pcc', 'chief_constable', 'partners')),
	CONSTRAINT "commitments_owner_role_check" CHECK ("commitments"."owner_role" is null or "commitments"."owner_role" in ('control', 'influence')),
	CONSTRAINT "commitments_timescale_check" CHECK ("commitments"."timescale" is null or "commitments"."timescale" in ('short', 'medium', 'long', 'by_date')),
	CONSTRAINT "commitments_status_check" CHECK ("commitments"."status" in ('not_started', 'in_progress', 'at_risk', 'complete', 'stopped')),
	CONSTRAINT "commitments_target_date_check" CHECK (("commitments"."timescale" = 'by_date') = ("commitments"."target_date" is not null))
);
--> statement-breakpoint
CREATE TABLE "duty_links" (
	"duty_statement_id" uuid NOT NULL,
	"element_lineage_id" uuid NOT NULL,
	CONSTRAINT "duty_links_duty_statement_id_element_lineage_id_pk" PRIMARY KEY("duty_statement_id","element_lineage_id")
);
--> statement-breakpoint
CREATE TABLE "duty_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"duty" text NOT NULL,
	"statement" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "duty_statements_duty_check" CHECK ("duty_statements"."duty" in ('strategic_policing_requirement', 'responsible_authorities', 'victims_and_public_views', 'safeguarding_children', 'equality'))
);
--> statement-breakpoint
CREATE TABLE "editions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"parent_edition_id" uuid,
	"vision" text DEFAULT '' NOT NULL,
	"is_frozen" boolean DEFAULT false NOT NULL,
	"frozen_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "editions_kind_check" CHECK ("editions"."kind" in ('new_plan', 'refresh', 'variation', 'addendum'))
);
--> statement-breakpoint
CREATE TABLE "framework_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"framework_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "framework_links" (
	"edition_id" uuid NOT NULL,
	"element_lineage_id" uuid NOT NULL,
	"framework_item_id" uuid NOT NULL,
	CONSTRAINT "framework_links_edition_id_element_lineage_id_framework_item_id_pk" PRIMARY KEY("edition_id","element_lineage_id","framework_item_id")
);
--> statement-breakpoint
CREATE TABLE "frameworks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funding_years" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"financial_year" text NOT NULL,
	"precept" bigint DEFAULT 0 NOT NULL,
	"government_grant" bigint DEFAULT 0 NOT NULL,
	"other" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "funding_years_year_check" CHECK ("funding_years"."financial_year" ~ '^[0-9]{4}/[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "grant_priorities" (
	"grant_id" uuid NOT NULL,
	"priority_lineage_id" uuid NOT NULL,
	CONSTRAINT "grant_priorities_grant_id_priority_lineage_id_pk" PRIMARY KEY("grant_id","priority_lineage_id")
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"recipient" text NOT NULL,
	"amount" bigint NOT NULL,
	"starts_on" date,
	"ends_on" date,
	"purpose" text DEFAULT '' NOT NULL,
	"conditions" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "grants_amount_check" CHECK ("grants"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "measures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"priority_id" uuid,
	"objective_id" uuid,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"evidence_source" text NOT NULL,
	"unit" text NOT NULL,
	"polarity" text NOT NULL,
	"baseline_value" numeric,
	"baseline_period" text DEFAULT '' NOT NULL,
	"target_value" numeric,
	"frequency" text NOT NULL,
	"owner" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "measures_parent_check" CHECK (("measures"."priority_id" is null) <> ("measures"."objective_id" is null)),
	CONSTRAINT "measures_evidence_source_check" CHECK ("measures"."evidence_source" in ('public_survey', 'victim_survey', 'performance_metric', 'service_standard', 'hmicfrs_inspection', 'national_measure')),
	CONSTRAINT "measures_polarity_check" CHECK ("measures"."polarity" in ('higher_is_better', 'lower_is_better')),
	CONSTRAINT "measures_frequency_check" CHECK ("measures"."frequency" in ('monthly', 'quarterly', 'annually'))
);
--> statement-breakpoint
CREATE TABLE "objectives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"priority_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"intended_outcome" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"title" text NOT NULL,
	"period_starts_on" date NOT NULL,
	"period_ends_on" date NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_period_check" CHECK ("plans"."period_ends_on" > "plans"."period_starts_on")
);
--> statement-breakpoint
CREATE TABLE "priorities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"aim" text DEFAULT '' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spr_explanations" (
	"edition_id" uuid NOT NULL,
	"framework_item_id" uuid NOT NULL,
	"explanation" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "spr_explanations_edition_id_framework_item_id_pk" PRIMARY KEY("edition_id","framework_item_id")
);
--> statement-breakpoint
CREATE TABLE "statutory_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"narrative" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "statutory_sections_kind_check" CHECK ("statutory_sections"."kind" in ('policing_provided', 'resources', 'reporting', 'performance', 'grants_and_victims'))
);
--> statement-breakpoint
ALTER TABLE "commitment_partners" ADD CONSTRAINT "commitment_partners_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_partners" ADD CONSTRAINT "commitment_partners_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_objective_id_objectives_id_fk" FOREIGN KEY ("objective_id") REFERENCES "public"."objectives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_links" ADD CONSTRAINT "duty_links_duty_statement_id_duty_statements_id_fk" FOREIGN KEY ("duty_statement_id") REFERENCES "public"."duty_statements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_statements" ADD CONSTRAINT "duty_statements_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "editions" ADD CONSTRAINT "editions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_items" ADD CONSTRAINT "framework_items_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_links" ADD CONSTRAINT "framework_links_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_links" ADD CONSTRAINT "framework_links_framework_item_id_framework_items_id_fk" FOREIGN KEY ("framework_item_id") REFERENCES "public"."framework_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frameworks" ADD CONSTRAINT "frameworks_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_years" ADD CONSTRAINT "funding_years_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_priorities" ADD CONSTRAINT "grant_priorities_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_priority_id_priorities_id_fk" FOREIGN KEY ("priority_id") REFERENCES "public"."priorities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_objective_id_objectives_id_fk" FOREIGN KEY ("objective_id") REFERENCES "public"."objectives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objectives" ADD CONSTRAINT "objectives_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objectives" ADD CONSTRAINT "objectives_priority_id_priorities_id_fk" FOREIGN KEY ("priority_id") REFERENCES "public"."priorities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priorities" ADD CONSTRAINT "priorities_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spr_explanations" ADD CONSTRAINT "spr_explanations_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spr_explanations" ADD CONSTRAINT "spr_explanations_framework_item_id_framework_items_id_fk" FOREIGN KEY ("framework_item_id") REFERENCES "public"."framework_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statutory_sections" ADD CONSTRAINT "statutory_sections_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commitments_edition_lineage_key" ON "commitments" USING btree ("edition_id","lineage_id");--> statement-breakpoint
CREATE INDEX "commitments_objective_idx" ON "commitments" USING btree ("objective_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_statements_edition_duty_key" ON "duty_statements" USING btree ("edition_id","duty");--> statement-breakpoint
CREATE UNIQUE INDEX "editions_plan_number_key" ON "editions" USING btree ("plan_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_items_framework_code_key" ON "framework_items" USING btree ("framework_id","code");--> statement-breakpoint
CREATE INDEX "framework_links_item_idx" ON "framework_links" USING btree ("framework_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "frameworks_body_slug_key" ON "frameworks" USING btree (coalesce("policing_body_id", '00000000-0000-0000-0000-000000000000'::uuid),"slug");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_years_edition_year_key" ON "funding_years" USING btree ("edition_id","financial_year");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_edition_lineage_key" ON "grants" USING btree ("edition_id","lineage_id");--> statement-breakpoint
CREATE UNIQUE INDEX "measures_edition_lineage_key" ON "measures" USING btree ("edition_id","lineage_id");--> statement-breakpoint
CREATE INDEX "measures_edition_idx" ON "measures" USING btree ("edition_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "objectives_edition_lineage_key" ON "objectives" USING btree ("edition_id","lineage_id");--> statement-breakpoint
CREATE INDEX "objectives_priority_idx" ON "objectives" USING btree ("priority_id","position");--> statement-breakpoint
CREATE INDEX "plans_policing_body_idx" ON "plans" USING btree ("policing_body_id");--> statement-breakpoint
CREATE UNIQUE INDEX "priorities_edition_lineage_key" ON "priorities" USING btree ("edition_id","lineage_id");--> statement-breakpoint
CREATE INDEX "priorities_edition_idx" ON "priorities" USING btree ("edition_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "statutory_sections_edition_kind_key" ON "statutory_sections" USING btree ("edition_id","kind");