-- A tenant's maxMessages, exact across replicas. sluice_account_messages counts what an account's live queues hold
-- (messages past their queue's retention period left out); sluice_reserve_account_messages, the first statement of a
-- limited tenant's send transaction, takes the account's transaction-scoped advisory lock (two-key form, class
-- 0x736c75 "slu", so it never meets the background lease's one-key lock), counts after getting it (a volatile
-- function's query takes a fresh snapshot, so it sees every send that held the lock before), and refuses with
-- SQLSTATE SL429 when the send would pass the limit. The lock is held until the send commits: concurrent sends of one
-- limited account, on any replica, are checked one after another; unlimited accounts never take it.
create function sluice_account_messages(account text, now bigint) returns bigint
language sql stable as $$
    select count(*) from message m join queue q on q.id = m.queue_id
    where q.account_id = account and q.deleted_at is null
      and m.enqueued_at > now - (q.attributes->>'MessageRetentionPeriod')::bigint * 1000
$$;

create function sluice_reserve_account_messages(account text, adding integer, max_messages bigint, now bigint)
returns void
language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock(7564405, hashtext(account));
    if sluice_account_messages(account, now) + adding > max_messages then
        raise exception 'account % may hold at most % messages', account, max_messages using errcode = 'SL429';
    end if;
end
$$;
