-- Roles for a Hamlet store on PostgreSQL. Run as a superuser with psql, in the store's database:
--     psql -v ON_ERROR_STOP=1 -d hamlet -f roles.sql
-- Then give each role a password (\password hamlet_trainer) unless the server trusts local connections.
--
-- hamlet_trainer owns Hamlet's tables: `hamlet train`, `relabel`, `forget`, `retrain`, `db import` and
-- `hamlet-serve --allow-tell` connect as it, and the first of them makes the tables.
-- hamlet_filter only reads: a daemon that scores and never learns connects as it
-- (hamlet-serve --db postgresql://hamlet_filter@HOST/hamlet). It cannot change a thing; a command that would
-- write fails with the server's "permission denied" and leaves the store as it was.

CREATE ROLE hamlet_trainer LOGIN;
CREATE ROLE hamlet_filter LOGIN;

GRANT CONNECT ON DATABASE :"DBNAME" TO hamlet_trainer, hamlet_filter;
-- PostgreSQL 15 no longer lets every role create tables in the public schema.
GRANT USAGE, CREATE ON SCHEMA public TO hamlet_trainer;
GRANT USAGE ON SCHEMA public TO hamlet_filter;

-- Every table the trainer makes, now or at a later schema version, can be read by the filter role.
ALTER DEFAULT PRIVILEGES FOR ROLE hamlet_trainer IN SCHEMA public GRANT SELECT ON TABLES TO hamlet_filter;
