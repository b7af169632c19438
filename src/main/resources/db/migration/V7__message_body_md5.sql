-- The MD5 of a message's body (16 bytes), computed once by the send that stored it, so a receive returns it without
-- hashing the body again (as the embedded engine keeps it with the message). Null for rows written without it (sent
-- before this column, or imported): a receive computes those. Nullable without a default: adding it rewrites nothing.
alter table message add column body_md5 bytea;
