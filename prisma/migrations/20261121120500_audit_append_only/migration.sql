-- The audit log is append-only: rows may be inserted, never changed or removed.
-- The one exception is the foreign key's ON DELETE SET NULL: deleting a team nulls "teamId" on its
-- rows (an UPDATE fired by the referential action). That update is allowed only when nothing but
-- "teamId" changes, it becomes NULL, and the team it pointed to no longer exists, so rows outlive
-- their team and nobody can detach a live team's rows by hand. TRUNCATE is refused as well.
-- The migration runner splits scripts at every semicolon (the pg driver adapter's executeScript),
-- so the function body is an E'' string whose semicolons are written as \073.
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''UPDATE''
     AND OLD."teamId" IS NOT NULL
     AND NEW."teamId" IS NULL
     AND (NEW."id", NEW."actorId", NEW."action", NEW."targetType", NEW."targetId", NEW."outcome", NEW."metadata"::text, NEW."requestId", NEW."createdAt")
         IS NOT DISTINCT FROM
         (OLD."id", OLD."actorId", OLD."action", OLD."targetType", OLD."targetId", OLD."outcome", OLD."metadata"::text, OLD."requestId", OLD."createdAt")
     AND NOT EXISTS (SELECT 1 FROM "Team" WHERE "id" = OLD."teamId") THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''AuditLog is append-only: % is not allowed'', TG_OP USING ERRCODE = ''insufficient_privilege''\073
END\073
';

CREATE TRIGGER "AuditLog_append_only"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();

CREATE TRIGGER "AuditLog_no_truncate"
  BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
