CREATE TABLE "review_boards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"source_edition_id" uuid NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"applied_at" timestamp with time zone,
	"applied_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_dispositions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"board_id" uuid NOT NULL,
	"element_type" text NOT NULL,
	"lineage_id" uuid,
	"parent_lineage_id" uuid,
	"disposition" text NOT NULL,
	"wording" text DEFAULT '' NOT NULL,
	"rationale" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_dispositions_kind_check" CHECK ("review_dispositions"."disposition" in ('carry_forward', 'amend', 'retire', 'new')),
	CONSTRAINT "review_dispositions_type_check" CHECK ("review_dispositions"."element_type" in ('objective', 'commitment')),
	CONSTRAINT "review_dispositions_new_check" CHECK (("review_dispositions"."disposition" = 'new') = ("review_dispositions"."lineage_id" is null))
);
--> statement-breakpoint
ALTER TABLE "review_boards" ADD CONSTRAINT "review_boards_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_boards" ADD CONSTRAINT "review_boards_source_edition_id_editions_id_fk" FOREIGN KEY ("source_edition_id") REFERENCES "public"."editions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_dispositions" ADD CONSTRAINT "review_dispositions_board_id_review_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."review_boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_boards_edition_key" ON "review_boards" USING btree ("edition_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_dispositions_board_element_key" ON "review_dispositions" USING btree ("board_id","lineage_id");