using Dapper;
using Npgsql;

namespace Portal.Core.Identity;

/// <summary>
/// Staff API tokens (Authorization: Bearer st_…): the staff API for a unit's own software (a document-management
/// system, a dashboard). Stored like the applicants' tokens — SHA-256 only, plaintext shown once — but in their own
/// table with their own prefix, so a citizen token never opens the staff API and a staff token never the citizen one.
/// </summary>
public sealed class StaffTokens(NpgsqlDataSource db, TimeProvider clock)
{
    public const string TokenPrefix = "st_";

    const string InsertSql = """
        INSERT INTO portal.staff_api_tokens (id, staff_id, name, token_sha256, prefix, created_at)
        VALUES (@id, @staffId, @name, @hash, @prefix, @now)
        """;

    /// <summary>A new token for the staff member; the plaintext is returned here and never stored.</summary>
    public async Task<CreatedApiToken> CreateAsync(Guid staffId, string name, CancellationToken ct)
    {
        if (Applicants.TokenNameProblem(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        var token = TokenPrefix + Applicants.NewSecret();
        var prefix = token[..(TokenPrefix.Length + 6)];
        var id = Guid.CreateVersion7();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            id, staffId, name = InputText.Clean(name), hash = Applicants.Sha256Hex(token), prefix, now = clock.GetUtcNow().UtcDateTime,
        }, cancellationToken: ct));
        return new CreatedApiToken(id, token, prefix);
    }

    const string ListSql = """
        SELECT id, name, prefix, created_at, last_used_at
          FROM portal.staff_api_tokens
         WHERE staff_id = @staffId AND revoked_at IS NULL
         ORDER BY created_at DESC, id DESC
        """;

    /// <summary>The staff member's tokens still in force, newest first.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(Guid staffId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ApiToken>(new CommandDefinition(ListSql, new { staffId }, cancellationToken: ct))).AsList();
    }

    const string RevokeSql = """
        UPDATE portal.staff_api_tokens SET revoked_at = @now
         WHERE id = @tokenId AND staff_id = @staffId AND revoked_at IS NULL
        """;

    /// <summary>Revokes one of the staff member's own tokens; false when there is no such token in force (or it is someone else's).</summary>
    public async Task<bool> RevokeAsync(Guid staffId, Guid tokenId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(RevokeSql,
            new { staffId, tokenId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    const string RevokeAllSql = "UPDATE portal.staff_api_tokens SET revoked_at = @now WHERE staff_id = @staffId AND revoked_at IS NULL";

    /// <summary>Revokes every token of the staff member (the demo reset).</summary>
    public async Task RevokeAllAsync(Guid staffId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(RevokeAllSql, new { staffId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    // One round trip per request; last_used_at written at most once a minute per token (as for applicants' tokens).
    // A password lockout does not stop the token: the lockout slows password guessing, and honouring it here would let
    // anyone who knows a login cut a unit's software off by mistyping five times. Removing the account removes its
    // tokens (ON DELETE CASCADE); roles and unit are read afresh on every request.
    const string AuthenticateSql = """
        WITH t AS (
            SELECT id, staff_id, last_used_at
              FROM portal.staff_api_tokens
             WHERE token_sha256 = @hash AND revoked_at IS NULL
        ), touched AS (
            UPDATE portal.staff_api_tokens u SET last_used_at = @now
              FROM t
             WHERE u.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < @stale)
        )
        SELECT s.id, s.login, s.display_name, s.password_hash, s.roles, s.agency_code, s.failed_sign_ins, s.locked_until, s.security_stamp
          FROM t
          JOIN portal.staff_accounts s ON s.id = t.staff_id
        """;

    /// <summary>The staff account a bearer token belongs to, or null when it is unknown or revoked.</summary>
    public async Task<StaffAccount?> AuthenticateAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100) return null;
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<StaffAccount>(new CommandDefinition(AuthenticateSql, new
        {
            hash = Applicants.Sha256Hex(token), now = now.UtcDateTime, stale = (now - TimeSpan.FromMinutes(1)).UtcDateTime,
        }, cancellationToken: ct));
    }
}
