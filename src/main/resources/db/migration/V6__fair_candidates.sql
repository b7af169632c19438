-- Fair queues (README, PostgreSQL backend, "Fair queues"): the in-flight counts per message group that decide which
-- groups are noisy, read from the messages a queue has handed out rather than from a scan of its whole backlog.

-- A standard queue that has held a message with a group since: from then on its claims record what they hand out in
-- fair_candidate (grouped or not: the queue's whole in-flight count is the measure). The claim that inserts the row
-- seeds fair_candidate with every message then in flight (one scan of the queue's rows, once); audited: the
-- sweeper's second scan a minute later, for claims that ran concurrently with that first one.
create table fair_queue (
    queue_id      bigint primary key,
    tracked_since bigint not null,
    audited       boolean not null default false
);

-- Messages a fair queue's claims handed out: a superset of its messages in flight. The truth (visible_at,
-- receive_count, enqueued_at) is read from message, so a delete, a visibility change or a deadline that simply
-- passes needs no write here. A candidate whose message is gone is removed by the next claim; one whose message has
-- been visible again for a minute (receive_count: the count the claim set, so a later claim of the same message
-- is never mistaken for it) by the sweeper.
create table fair_candidate (
    queue_id      bigint not null,
    seq           bigint not null,
    group_id      text,
    receive_count integer not null,
    primary key (queue_id, seq)
);
