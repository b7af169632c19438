-- Regions: as on AWS, the same queue name in two regions is two queues. A queue of the default region (sluice.region)
-- has no region, like every queue of schema version 1, so those stay in the default region and move with the setting
-- (as the embedded journal keeps them); a queue of any other region names it.
alter table queue add column region text;

drop index queue_by_name;
create unique index queue_by_name on queue (account_id, coalesce(region, ''), name) where deleted_at is null;
