-- Families for bench/pg_rotation.sql: `psql -v families=N -f bench/pg_rotation_setup.sql` on a
-- database whose schema jwtctl created (`jwtctl store migrate`). Each family 'bench-I' gets one
-- active refresh token, as a login would leave it.
INSERT INTO jwtctl_families (id, sub, client_id, scope, iss, aud, access_ttl, refresh_ttl,
                             created_at, not_after, last_refresh_at, generation, current_jti,
                             revoked_at, revoked_reason)
  SELECT 'bench-' || n, 'bench', 'jwtctl', NULL, 'jwtctl', 'jwtctl', 900, 2592000,
         1700000000, 1800000000, NULL, 1, 'bench-' || n || '-1', NULL, NULL
  FROM generate_series(1, :families) AS n;
INSERT INTO jwtctl_tokens (jti, family_id, generation, parent_jti, sha256, issued_at, expires_at,
                           state, used_at, replaced_by, revoked_at)
  SELECT 'bench-' || n || '-1', 'bench-' || n, 1, NULL,
         sha256(convert_to('bench-' || n || '-1', 'UTF8')), 1700000000, 1800000000, 'active',
         NULL, NULL, NULL
  FROM generate_series(1, :families) AS n;
