CREATE TABLE "force_areas" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"nation" text NOT NULL,
	"governance_model" text NOT NULL,
	"is_fictional" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"website" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partners_kind_check" CHECK ("partners"."kind" in ('community_safety_partnership', 'local_authority', 'health', 'criminal_justice', 'voluntary_sector', 'other'))
);
--> statement-breakpoint
CREATE TABLE "policing_bodies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"force_area_id" text NOT NULL,
	"holder_name" text NOT NULL,
	"holder_title" text NOT NULL,
	"term_starts_on" date NOT NULL,
	"term_ends_on" date NOT NULL,
	"publishes_in_welsh" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policing_bodies_kind_check" CHECK ("policing_bodies"."kind" in ('pcc', 'pfcc', 'mayor', 'mopac', 'board')),
	CONSTRAINT "policing_bodies_term_check" CHECK ("policing_bodies"."term_ends_on" > "policing_bodies"."term_starts_on")
);
--> statement-breakpoint
CREATE TABLE "scrutiny_bodies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"host_authority" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scrutiny_bodies_kind_check" CHECK ("scrutiny_bodies"."kind" in ('police_and_crime_panel', 'committee'))
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"policing_body_id" uuid NOT NULL,
	"role" text NOT NULL,
	"scrutiny_body_id" uuid,
	"partner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_role_check" CHECK ("memberships"."role" in ('commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer')),
	CONSTRAINT "memberships_partner_check" CHECK (("memberships"."role" = 'partner') = ("memberships"."partner_id" is not null)),
	CONSTRAINT "memberships_panel_check" CHECK (("memberships"."role" in ('panel_member', 'panel_officer')) = ("memberships"."scrutiny_body_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"is_admin" boolean DEFAULT false NOT NULL,
	"failed_sign_in_count" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_signed_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"policing_body_id" uuid,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policing_bodies" ADD CONSTRAINT "policing_bodies_force_area_id_force_areas_id_fk" FOREIGN KEY ("force_area_id") REFERENCES "public"."force_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrutiny_bodies" ADD CONSTRAINT "scrutiny_bodies_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_policing_body_id_policing_bodies_id_fk" FOREIGN KEY ("policing_body_id") REFERENCES "public"."policing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_scrutiny_body_id_scrutiny_bodies_id_fk" FOREIGN KEY ("scrutiny_body_id") REFERENCES "public"."scrutiny_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partners_body_name_key" ON "partners" USING btree ("policing_body_id",lower("name"));--> statement-breakpoint
CREATE INDEX "partners_policing_body_idx" ON "partners" USING btree ("policing_body_id");--> statement-breakpoint
CREATE UNIQUE INDEX "policing_bodies_slug_key" ON "policing_bodies" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "scrutiny_bodies_policing_body_key" ON "scrutiny_bodies" USING btree ("policing_body_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_user_body_role_key" ON "memberships" USING btree ("user_id","policing_body_id","role");--> statement-breakpoint
CREATE INDEX "memberships_policing_body_idx" ON "memberships" USING btree ("policing_body_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "audit_events_body_id_idx" ON "audit_events" USING btree ("policing_body_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");