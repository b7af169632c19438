-- Sluice's PostgreSQL schema, version 1. Times are epoch milliseconds (bigint), as the engine keeps them; every
-- table that a send, receive or delete touches is keyed by queue_id first, so it can be distributed by queue.

-- Catalogue: tenants and their access keys (SigV4 needs the secret itself, so it is stored as given).
create table tenant (
    account_id   text primary key,
    name         text not null,
    enabled      boolean not null,
    max_queues   integer,
    max_messages bigint,
    created_at   bigint not null
);

create table access_key (
    access_key_id text primary key,
    secret        text not null,
    account_id    text not null references tenant on delete cascade,
    enabled       boolean not null,
    created_at    bigint not null
);

create index access_key_by_account on access_key (account_id);

-- One row per queue incarnation: a queue deleted and created again under the same name gets a new id, so it never
-- sees the old one's messages. A deleted queue keeps its row (deleted_at set) until its messages are swept.
create table queue (
    id                 bigint generated always as identity primary key,
    account_id         text not null,
    name               text not null,
    fifo               boolean not null,
    -- the attributes the user set (AWS names, string values) and the tags, as JSON objects
    attributes         jsonb not null,
    tags               jsonb not null,
    -- the ARN of the RedrivePolicy's deadLetterTargetArn, kept apart for ListDeadLetterSourceQueues
    dead_letter_target text,
    created_at         bigint not null,
    last_modified_at   bigint not null,
    last_purged_at     bigint,
    deleted_at         bigint
);

create unique index queue_by_name on queue (account_id, name) where deleted_at is null;
create index queue_by_dead_letter_target on queue (dead_letter_target) where dead_letter_target is not null;

-- Message move tasks (StartMessageMoveTask) and their progress; the replica holding the background lease runs them.
create table move_task (
    task_handle      text primary key,
    source_queue_id  bigint not null,
    source_arn       text not null,
    destination_arn  text,
    max_per_second   integer not null,
    status           text not null,
    moved            bigint not null,
    to_move          bigint not null,
    failure_reason   text,
    started_at       bigint not null
);

create index move_task_by_source on move_task (source_queue_id, started_at);

-- Send order. CACHE 1 (the default, said out loud): with a per-session cache two connections would hand out
-- interleaved blocks, and a FIFO group's later send could get the smaller number.
create sequence message_seq as bigint cache 1;

-- Messages with their delivery state. The delivery columns (visible_at, receive_count, *_received_at) are in no
-- index, so a receive's update is heap-only (HOT) when the new row version fits on the same page, and its WAL record
-- then carries only the changed bytes, not the body. fillfactor 50 leaves that room for a 1 KiB message: measured,
-- a receive wrote 192 WAL bytes per message instead of 1,052 at fillfactor 90 (README, PostgreSQL backend).
create table message (
    queue_id           bigint not null,
    seq                bigint not null,
    message_id         uuid not null,
    visible_at         bigint not null,
    receive_count      integer not null default 0,
    first_received_at  bigint,
    last_received_at   bigint,
    sent_at            bigint not null,
    -- when the retention period started: the send, except for a FIFO message moved to another queue
    enqueued_at        bigint not null,
    group_id           text,
    deduplication_id   text,
    sender_id          text,
    -- accountId/name of the queue a dead-lettered message came from
    dead_letter_source text,
    -- message and system attributes, encoded by the backend; null when there are none
    attributes         bytea,
    body               text not null,
    primary key (queue_id, seq)
) with (fillfactor = 50);

-- A message group's messages in order (FIFO claims and head moves; fair queues' groups are in it too).
create index message_by_group on message (queue_id, group_id, seq) where group_id is not null;

-- FIFO message groups: the claim locks a group row (FOR UPDATE SKIP LOCKED), so two receivers never take messages of
-- one group at once, and a send locks it before drawing its sequence numbers, so a group's numbers are in commit
-- order. head_seq is the group's oldest message (null while it is empty); busy_until the latest visibility deadline
-- of its in-flight messages (the group is blocked until then, or until they are deleted).
create table message_group (
    queue_id   bigint not null,
    group_id   text not null,
    head_seq   bigint,
    busy_until bigint not null default 0,
    primary key (queue_id, group_id)
);

create index message_group_by_head on message_group (queue_id, head_seq) where head_seq is not null;

-- FIFO deduplication: dedup_key is the MessageDeduplicationId (or group and id, with DeduplicationScope messageGroup). A
-- row past expires_at counts as absent; the sweeper removes such rows only to reclaim space.
create table deduplication (
    queue_id   bigint not null,
    dedup_key  text not null,
    message_id uuid not null,
    seq        bigint not null,
    expires_at bigint not null,
    primary key (queue_id, dedup_key)
);

-- FIFO ReceiveRequestAttemptId: a retried receive within 5 minutes gets the same messages.
create table receive_attempt (
    queue_id       bigint not null,
    attempt_id     text not null,
    seqs           bigint[] not null,
    receive_counts integer[] not null,
    visibility_ms  bigint not null,
    expires_at     bigint not null,
    primary key (queue_id, attempt_id)
);
