-- Background work (README, PostgreSQL backend, "Background work"): message move tasks run by the replica that holds
-- the background lease, resumed by another one when it dies.

-- Where a move task stands: its place in the order tasks were started (ListMessageMoveTasks lists newest first, also
-- among tasks started in the same millisecond), and the earliest time of its next batch (MaxNumberOfMessagesPerSecond:
-- one batch of at most that many messages a second, whichever replica runs it).
alter table move_task add column position bigint generated always as identity;
alter table move_task add column next_batch_at bigint not null default 0;

-- SQS: one active task per source queue, kept by the database whichever replica starts it.
create unique index move_task_running on move_task (source_queue_id) where status = 'RUNNING';

