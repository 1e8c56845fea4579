CREATE TABLE "approval_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"name" text NOT NULL,
	"required_before" text NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_steps_stage_check" CHECK ("approval_steps"."required_before" in ('send_to_panel', 'issue'))
);
--> statement-breakpoint
CREATE TABLE "edition_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"draft_number" integer NOT NULL,
	"sent_on" date NOT NULL,
	"review_window_ends_on" date NOT NULL,
	"snapshot" jsonb NOT NULL,
	"completeness_waiver" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "edition_drafts_window_check" CHECK ("edition_drafts"."review_window_ends_on" >= "edition_drafts"."sent_on")
);
--> statement-breakpoint
CREATE TABLE "edition_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"draft_number" integer NOT NULL,
	"event" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"happened_on" date NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"statutory_basis" text DEFAULT '' NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "edition_transitions_event_check" CHECK ("edition_transitions"."event" in ('consult_chief_constable', 'send_to_panel', 'record_panel_report', 'request_further_draft', 'give_response', 'publish_response', 'reconsult_chief_constable', 'record_internal_approval', 'record_endorsement', 'issue', 'bring_into_force', 'supersede', 'expire', 'withdraw')),
	CONSTRAINT "edition_transitions_from_check" CHECK ("edition_transitions"."from_state" in ('drafting', 'chief_constable_consulted', 'sent_to_panel', 'panel_report_received', 'response_given', 'response_published', 'issued', 'in_force', 'superseded', 'expired', 'withdrawn')),
	CONSTRAINT "edition_transitions_to_check" CHECK ("edition_transitions"."to_state" in ('drafting', 'chief_constable_consulted', 'sent_to_panel', 'panel_report_received', 'response_given', 'response_published', 'issued', 'in_force', 'superseded', 'expired', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "lifecycle_settings" (
	"policing_body_id" uuid PRIMARY KEY NOT NULL,
	"panel_review_days" integer DEFAULT 28 NOT NULL,
	"response_due_days" integer DEFAULT 28 NOT NULL,
	"action_reminder_days" integer DEFAULT 7 NOT NULL,
	"annual_report_month" integer DEFAULT 7 NOT NULL,
	"quarterly_report_lag_days" integer DEFAULT 60 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lifecycle_settings_days_check" CHECK ("lifecycle_settings"."panel_review_days" between 1 and 365 and "lifecycle_settings"."response_due_days" between 1 and 365),
	CONSTRAINT "lifecycle_settings_reminder_check" CHECK ("lifecycle_settings"."action_reminder_days" between 0 and 90),
	CONSTRAINT "lifecycle_settings_month_check" CHECK ("lifecycle_settings"."annual_report_month" between 1 and 12),
	CONSTRAINT "lifecycle_settings_lag_check" CHECK ("lifecycle_settings"."quarterly_report_lag_days" between 0 and 180)
);
--> statement-breakpoint
CREATE TABLE "panel_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"draft_number" integer NOT NULL,
	"kind" text NOT NULL,
	"received_on" date NOT NULL,
	"meeting_id" uuid,
	"summary" text DEFAULT '' NOT NULL,
	"no_recommendations" boolean DEFAULT false NOT NULL,
	"resolution" text DEFAULT '' NOT NULL,
	"votes_for" integer,
	"votes_against" integer,
	"abstentions" integer,
	"unanimous" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_reports_kind_check" CHECK ("panel_reports"."kind" in ('report', 'further_draft_request')),
	CONSTRAINT "panel_reports_votes_check" CHECK (coalesce("panel_reports"."votes_for", 0) >= 0 and coalesce("panel_reports"."votes_against", 0) >= 0 and coalesce("panel_reports"."abstentions", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "agenda_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agenda_item_id" uuid NOT NULL,
	"title" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agenda_documents_media_type_check" CHECK ("agenda_documents"."media_type" in ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text')),
	CONSTRAINT "agenda_documents_size_check" CHECK ("agenda_documents"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "agenda_item_measures" (
	"agenda_item_id" uuid NOT NULL,
	"measure_lineage_id" uuid NOT NULL,
	CONSTRAINT "agenda_item_measures_agenda_item_id_measure_lineage_id_pk" PRIMARY KEY("agenda_item_id","measure_lineage_id")
);
--> statement-breakpoint
CREATE TABLE "agenda_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"edition_id" uuid,
	"minutes" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_member_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scrutiny_body_id" uuid NOT NULL,
	"panel_member_id" uuid NOT NULL,
	"meeting_id" uuid,
	"title" text NOT NULL,
	"event_on" date NOT NULL,
	"highlights" text DEFAULT '' NOT NULL,
	"next_steps" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_attendance" (
	"meeting_id" uuid NOT NULL,
	"panel_member_id" uuid NOT NULL,
	"attendance" text NOT NULL,
	"declaration_of_interest" text DEFAULT '' NOT NULL,
	CONSTRAINT "meeting_attendance_meeting_id_panel_member_id_pk" PRIMARY KEY("meeting_id","panel_member_id"),
	CONSTRAINT "meeting_attendance_kind_check" CHECK ("meeting_attendance"."attendance" in ('present', 'apologies', 'absent'))
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scrutiny_body_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"starts_at" text DEFAULT '' NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"online_link" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_kind_check" CHECK ("meetings"."kind" in ('formal_public', 'development_day', 'workshop', 'private_session')),
	CONSTRAINT "meetings_starts_at_check" CHECK ("meetings"."starts_at" = '' or "meetings"."starts_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "panel_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scrutiny_body_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"council" text DEFAULT '' NOT NULL,
	"party" text DEFAULT '' NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"link_themes" text DEFAULT '' NOT NULL,
	"email" text,
	"user_id" uuid,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_members_kind_check" CHECK ("panel_members"."kind" in ('councillor', 'independent')),
	CONSTRAINT "panel_members_role_check" CHECK ("panel_members"."role" in ('chair', 'vice_chair', 'member')),
	CONSTRAINT "panel_members_period_check" CHECK ("panel_members"."ends_on" is null or "panel_members"."ends_on" >= "panel_members"."starts_on"),
	CONSTRAINT "panel_members_council_check" CHECK ("panel_members"."kind" <> 'councillor' or "panel_members"."council" <> '')
);
--> statement-breakpoint
CREATE TABLE "recommendation_elements" (
	"recommendation_id" uuid NOT NULL,
	"lineage_id" uuid NOT NULL,
	"element_type" text NOT NULL,
	CONSTRAINT "recommendation_elements_recommendation_id_lineage_id_pk" PRIMARY KEY("recommendation_id","lineage_id"),
	CONSTRAINT "recommendation_elements_type_check" CHECK ("recommendation_elements"."element_type" in ('priority', 'objective', 'commitment', 'measure'))
);
--> statement-breakpoint
CREATE TABLE "recommendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"scrutiny_body_id" uuid NOT NULL,
	"edition_id" uuid,
	"draft_number" integer,
	"meeting_id" uuid,
	"source" text NOT NULL,
	"reference" text NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"made_on" date NOT NULL,
	"response_due_on" date NOT NULL,
	"response_status" text,
	"response_text" text DEFAULT '' NOT NULL,
	"responded_on" date,
	"responded_by" uuid,
	"response_published_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recommendations_source_check" CHECK ("recommendations"."source" in ('panel_report', 'further_draft_request', 'meeting')),
	CONSTRAINT "recommendations_status_check" CHECK ("recommendations"."response_status" is null or "recommendations"."response_status" in ('accepted', 'partly_accepted', 'not_accepted')),
	CONSTRAINT "recommendations_response_check" CHECK (("recommendations"."response_status" is null) = ("recommendations"."responded_on" is null)),
	CONSTRAINT "recommendations_response_order_check" CHECK ("recommendations"."responded_on" is null or "recommendations"."responded_on" >= "recommendations"."made_on"),
	CONSTRAINT "recommendations_due_check" CHECK ("recommendations"."response_due_on" >= "recommendations"."made_on"),
	CONSTRAINT "recommendations_published_check" CHECK ("recommendations"."response_published_on" is null or "recommendations"."responded_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "resolutions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agenda_item_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"votes_for" integer,
	"votes_against" integer,
	"abstentions" integer,
	"unanimous" boolean DEFAULT false NOT NULL,
	"is_endorsement" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resolutions_votes_check" CHECK (coalesce("resolutions"."votes_for", 0) >= 0 and coalesce("resolutions"."votes_against", 0) >= 0 and coalesce("resolutions"."abstentions", 0) >= 0),
	CONSTRAINT "resolutions_unanimous_check" CHECK (not "resolutions"."unanimous" or coalesce("resolutions"."votes_against", 0) = 0)
);
--> statement-breakpoint
CREATE TABLE "scrutiny_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"meeting_id" uuid,
	"agenda_item_id" uuid,
	"link_member_report_id" uuid,
	"description" text NOT NULL,
	"owner_name" text NOT NULL,
	"owner_user_id" uuid,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"completed_on" date,
	"update" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scrutiny_actions_status_check" CHECK ("scrutiny_actions"."status" in ('open', 'in_progress', 'done', 'cancelled')),
	CONSTRAINT "scrutiny_actions_done_check" CHECK (("scrutiny_actions"."status" = 'done') = ("scrutiny_actions"."completed_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "element_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"edition_id" uuid NOT NULL,
	"draft_number" integer NOT NULL,
	"lineage_id" uuid NOT NULL,
	"element_type" text NOT NULL,
	"parent_id" uuid,
	"author_user_id" uuid NOT NULL,
	"author_label" text NOT NULL,
	"body" text NOT NULL,
	"status" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "element_comments_type_check" CHECK ("element_comments"."element_type" in ('vision', 'priority', 'objective', 'commitment', 'measure')),
	CONSTRAINT "element_comments_status_check" CHECK (("element_comments"."parent_id" is null) = ("element_comments"."status" is not null)),
	CONSTRAINT "element_comments_status_values_check" CHECK ("element_comments"."status" is null or "element_comments"."status" in ('open', 'addressed', 'noted'))
);
--> statement-breakpoint
CREATE TABLE "calendar_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"scrutiny_body_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"statutory_basis" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"completed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_items_kind_check" CHECK ("calendar_items"."kind" in ('precept', 'annual_report', 'meeting', 'other'))
);
--> statement-breakpoint
CREATE TABLE "elections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"scheduled_on" date NOT NULL,
	"held_on" date,
	"note" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "elections_postponed_check" CHECK ("elections"."held_on" is null or "elections"."held_on" >= "elections"."scheduled_on")
);
--> statement-breakpoint
CREATE TABLE "published_editions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"edition_id" uuid NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"full_plan_html" text NOT NULL,
	"on_a_page_html" text NOT NULL,
	"plan_json" jsonb NOT NULL,
	"etag" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"daily_digest" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"dedupe_key" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"link" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "editions" ADD COLUMN "lifecycle_state" text DEFAULT 'drafting' NOT NULL;--> statement-breakpoint
ALTER TABLE "editions" ADD COLUMN "draft_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edition_drafts" ADD CONSTRAINT "edition_drafts_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edition_transitions" ADD CONSTRAINT "edition_transitions_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edition_transitions" ADD CONSTRAINT "edition_transitions_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_settings" ADD CONSTRAINT "lifecycle_settings_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_reports" ADD CONSTRAINT "panel_reports_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_documents" ADD CONSTRAINT "agenda_documents_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_documents" ADD CONSTRAINT "agenda_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_item_measures" ADD CONSTRAINT "agenda_item_measures_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_member_reports" ADD CONSTRAINT "link_member_reports_scrutiny_body_id_scrutiny_bodies_id_fk" FOREIGN KEY ("scrutiny_body_id") REFERENCES "public"."scrutiny_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_member_reports" ADD CONSTRAINT "link_member_reports_panel_member_id_panel_members_id_fk" FOREIGN KEY ("panel_member_id") REFERENCES "public"."panel_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_member_reports" ADD CONSTRAINT "link_member_reports_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_panel_member_id_panel_members_id_fk" FOREIGN KEY ("panel_member_id") REFERENCES "public"."panel_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_scrutiny_body_id_scrutiny_bodies_id_fk" FOREIGN KEY ("scrutiny_body_id") REFERENCES "public"."scrutiny_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_members" ADD CONSTRAINT "panel_members_scrutiny_body_id_scrutiny_bodies_id_fk" FOREIGN KEY ("scrutiny_body_id") REFERENCES "public"."scrutiny_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_members" ADD CONSTRAINT "panel_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_elements" ADD CONSTRAINT "recommendation_elements_recommendation_id_recommendations_id_fk" FOREIGN KEY ("recommendation_id") REFERENCES "public"."recommendations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_scrutiny_body_id_scrutiny_bodies_id_fk" FOREIGN KEY ("scrutiny_body_id") REFERENCES "public"."scrutiny_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_responded_by_users_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrutiny_actions" ADD CONSTRAINT "scrutiny_actions_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrutiny_actions" ADD CONSTRAINT "scrutiny_actions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrutiny_actions" ADD CONSTRAINT "scrutiny_actions_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrutiny_actions" ADD CONSTRAINT "scrutiny_actions_link_member_report_id_link_member_reports_id_fk" FOREIGN KEY ("link_member_report_id") REFERENCES "public"."link_member_reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrutiny_actions" ADD CONSTRAINT "scrutiny_actions_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "element_comments" ADD CONSTRAINT "element_comments_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "element_comments" ADD CONSTRAINT "element_comments_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "element_comments" ADD CONSTRAINT "element_comments_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_items" ADD CONSTRAINT "calendar_items_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_items" ADD CONSTRAINT "calendar_items_scrutiny_body_id_scrutiny_bodies_id_fk" FOREIGN KEY ("scrutiny_body_id") REFERENCES "public"."scrutiny_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elections" ADD CONSTRAINT "elections_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_editions" ADD CONSTRAINT "published_editions_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_editions" ADD CONSTRAINT "published_editions_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approval_steps_body_name_key" ON "approval_steps" USING btree ("policing_body_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "edition_drafts_edition_draft_key" ON "edition_drafts" USING btree ("edition_id","draft_number");--> statement-breakpoint
CREATE INDEX "edition_transitions_edition_idx" ON "edition_transitions" USING btree ("edition_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "panel_reports_edition_draft_key" ON "panel_reports" USING btree ("edition_id","draft_number");--> statement-breakpoint
CREATE INDEX "agenda_documents_item_idx" ON "agenda_documents" USING btree ("agenda_item_id");--> statement-breakpoint
CREATE INDEX "agenda_items_meeting_idx" ON "agenda_items" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "link_member_reports_body_idx" ON "link_member_reports" USING btree ("scrutiny_body_id","event_on");--> statement-breakpoint
CREATE INDEX "meetings_body_idx" ON "meetings" USING btree ("scrutiny_body_id","held_on");--> statement-breakpoint
CREATE INDEX "panel_members_body_idx" ON "panel_members" USING btree ("scrutiny_body_id");--> statement-breakpoint
CREATE INDEX "recommendations_body_idx" ON "recommendations" USING btree ("policing_body_id","made_on");--> statement-breakpoint
CREATE INDEX "recommendations_edition_idx" ON "recommendations" USING btree ("edition_id","draft_number","position");--> statement-breakpoint
CREATE INDEX "resolutions_item_idx" ON "resolutions" USING btree ("agenda_item_id","position");--> statement-breakpoint
CREATE INDEX "scrutiny_actions_body_idx" ON "scrutiny_actions" USING btree ("policing_body_id","due_on");--> statement-breakpoint
CREATE INDEX "element_comments_plan_lineage_idx" ON "element_comments" USING btree ("plan_id","lineage_id","created_at");--> statement-breakpoint
CREATE INDEX "element_comments_parent_idx" ON "element_comments" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "calendar_items_body_idx" ON "calendar_items" USING btree ("policing_body_id","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "elections_body_scheduled_key" ON "elections" USING btree ("policing_body_id","scheduled_on");--> statement-breakpoint
CREATE UNIQUE INDEX "published_editions_edition_key" ON "published_editions" USING btree ("edition_id");--> statement-breakpoint
CREATE INDEX "published_editions_body_idx" ON "published_editions" USING btree ("policing_body_id","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_user_dedupe_key" ON "notifications" USING btree ("user_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_unsent_idx" ON "notifications" USING btree ("user_id","sent_at");--> statement-breakpoint
ALTER TABLE "editions" ADD CONSTRAINT "editions_lifecycle_state_check" CHECK ("editions"."lifecycle_state" in ('drafting', 'chief_constable_consulted', 'sent_to_panel', 'panel_report_received', 'response_given', 'response_published', 'issued', 'in_force', 'superseded', 'expired', 'withdrawn'));--> statement-breakpoint
-- Editions frozen before the lifecycle existed were issued plans.
UPDATE "editions" SET "lifecycle_state" = 'in_force' WHERE "is_frozen";
--> statement-breakpoint
-- A published edition is an immutable snapshot.
CREATE FUNCTION published_editions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published_editions is immutable: % is not allowed', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER published_editions_immutable BEFORE UPDATE OR DELETE ON published_editions
  FOR EACH ROW EXECUTE FUNCTION published_editions_refuse_change();
