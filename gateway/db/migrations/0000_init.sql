CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`hostname` text NOT NULL,
	`secret_hash` text NOT NULL,
	`inventory` text,
	`last_seen_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_secret_hash_unique` ON `agents` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `agents_cluster` ON `agents` (`cluster_id`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`role` text NOT NULL,
	`clusters` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_secret_hash_unique` ON `api_tokens` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`cluster_id` text NOT NULL,
	`task_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`spec` text NOT NULL,
	`kill_requested_at` integer,
	`epoch` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `task_id`),
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `assignments_agent` ON `assignments` (`cluster_id`,`agent_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`details` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `bundle_chunks` (
	`digest` text NOT NULL,
	`seq` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`digest`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `clusters` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`desired_revision` integer DEFAULT 1 NOT NULL,
	`lease_agent_id` text,
	`lease_epoch` integer DEFAULT 0 NOT NULL,
	`lease_expires_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clusters_name_unique` ON `clusters` (`name`);--> statement-breakpoint
CREATE TABLE `deployment_status` (
	`cluster_id` text NOT NULL,
	`app_id` text NOT NULL,
	`waiting_reason` text,
	`step` text,
	`reported_at` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `app_id`),
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `gateway_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `install_revisions` (
	`install_id` text NOT NULL,
	`revision` integer NOT NULL,
	`package_version` text NOT NULL,
	`release_version` integer NOT NULL,
	`package_revision_id` text NOT NULL,
	`user_options` text NOT NULL,
	`resolved_options` text NOT NULL,
	`plan` text NOT NULL,
	`reason` text NOT NULL,
	`depends_on` text DEFAULT '[]' NOT NULL,
	`restored_revision` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	PRIMARY KEY(`install_id`, `revision`),
	FOREIGN KEY (`install_id`) REFERENCES `installs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `installs` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`app_id` text NOT NULL,
	`package_name` text NOT NULL,
	`current_revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installs_cluster_app` ON `installs` (`cluster_id`,`app_id`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`cluster_id` text NOT NULL,
	`run_id` text NOT NULL,
	`job_id` text NOT NULL,
	`state` text NOT NULL,
	`message` text,
	`started_at` integer,
	`finished_at` integer,
	`reported_at` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `run_id`),
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_runs_cluster_job` ON `job_runs` (`cluster_id`,`job_id`);--> statement-breakpoint
CREATE TABLE `join_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`max_uses` integer NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `join_tokens_secret_hash_unique` ON `join_tokens` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `join_tokens_cluster` ON `join_tokens` (`cluster_id`);--> statement-breakpoint
CREATE TABLE `package_revisions` (
	`id` text PRIMARY KEY NOT NULL,
	`repository_id` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`release_version` integer NOT NULL,
	`digest` text,
	`entry` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`repository_id`) REFERENCES `repositories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `package_revisions_repo_name_release` ON `package_revisions` (`repository_id`,`name`,`release_version`);--> statement-breakpoint
CREATE INDEX `package_revisions_name` ON `package_revisions` (`name`);--> statement-breakpoint
CREATE TABLE `repositories` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`uri` text,
	`kind` text NOT NULL,
	`priority` integer NOT NULL,
	`created_at` integer NOT NULL,
	`imported_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repositories_name_unique` ON `repositories` (`name`);--> statement-breakpoint
CREATE TABLE `run_requests` (
	`cluster_id` text NOT NULL,
	`request_id` text NOT NULL,
	`job_id` text NOT NULL,
	`requested_at` integer NOT NULL,
	`requested_by` text NOT NULL,
	PRIMARY KEY(`cluster_id`, `request_id`),
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_requests_cluster_job` ON `run_requests` (`cluster_id`,`job_id`);--> statement-breakpoint
CREATE TABLE `status_receipts` (
	`agent_id` text NOT NULL,
	`update_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`agent_id`, `update_id`)
);
--> statement-breakpoint
CREATE INDEX `status_receipts_received` ON `status_receipts` (`received_at`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`cluster_id` text NOT NULL,
	`task_id` text NOT NULL,
	`app_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`state` text NOT NULL,
	`healthy` integer,
	`ports` text NOT NULL,
	`version` text,
	`message` text,
	`reported_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `task_id`),
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tasks_cluster_app` ON `tasks` (`cluster_id`,`app_id`);