-- One refresh-token rotation as jwtctl's PostgreSQL store runs it
-- (src/session/store/postgres/mod.rs), for `pgbench -f`: the engine's ceiling for the
-- transaction, to compare with jwtctl's own rate (bench/README.md, "PostgreSQL store").
--
-- Same statements in the same order: BEGIN + lock the family, read the token and subject,
-- the four writes (pipelined), COMMIT. Differences: the family is chosen at random among
-- :families (-D families=N, made by `pg_rotation_setup.sql`); the current token is found from
-- the family and the new jti is made by the server (jwtctl's client makes and signs it between
-- round trips); and pgbench cannot \gset inside a pipeline, so the read is a round trip of its
-- own (jwtctl sends it with BEGIN and the lock): four round trips here, three in jwtctl.
-- Run with -M extended (variables are sent as parameters): like jwtctl's, every statement is
-- parsed unnamed, bound and executed.

\set fam random(1, :families)
\startpipeline
BEGIN;
SELECT id, sub, client_id, scope, iss, aud, access_ttl, refresh_ttl, created_at, not_after,
       last_refresh_at, generation, current_jti, revoked_at, revoked_reason
  FROM jwtctl_families
  WHERE id = (SELECT family_id FROM jwtctl_tokens
              WHERE jti = (SELECT current_jti FROM jwtctl_families WHERE id = 'bench-' || :fam))
  FOR UPDATE;
\endpipeline
SELECT t.jti AS cur, t.family_id AS id, t.generation AS gen, t.parent_jti, t.sha256,
       t.issued_at, t.expires_at, t.state, t.used_at, t.replaced_by, t.revoked_at,
       s.disabled_at, s.reason, gen_random_uuid()::text AS nxt
  FROM jwtctl_tokens t JOIN jwtctl_families f ON f.id = t.family_id
  LEFT JOIN jwtctl_subjects s ON s.sub = f.sub
  WHERE t.jti = (SELECT current_jti FROM jwtctl_families WHERE id = 'bench-' || :fam) \gset
\startpipeline
UPDATE jwtctl_tokens SET state = 'used', used_at = 1700000000, replaced_by = :nxt
  WHERE jti = :cur AND state = 'active';
UPDATE jwtctl_families SET generation = :gen + 1, current_jti = :nxt, last_refresh_at = 1700000000
  WHERE id = :id AND generation = :gen AND current_jti = :cur AND revoked_at IS NULL;
INSERT INTO jwtctl_tokens (jti, family_id, generation, parent_jti, sha256, issued_at, expires_at,
                           state, used_at, replaced_by, revoked_at)
  VALUES (:nxt, :id, :gen + 1, :cur, sha256(convert_to(:nxt, 'UTF8')), 1700000000,
          1700000600, 'active', NULL, NULL, NULL);
INSERT INTO jwtctl_events (at, kind, family_id, sub, jti, generation, detail)
  VALUES (1700000000, 'rotated', :id, 'bench', :nxt, :gen + 1, 'replaces generation ' || :gen);
\endpipeline
COMMIT;
