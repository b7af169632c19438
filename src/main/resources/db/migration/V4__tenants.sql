-- Tenants and access keys are kept here (not in each replica's data directory) so every replica sees the same ones.
-- A tenant's own quota, if it has one, replaces the service-wide default: {"requests": {"perSecond": n, "burst": n},
-- "bytes": {...}, "queues": {"<queue name>": {...}}}, absent rates left out.
alter table tenant add column quota jsonb;
