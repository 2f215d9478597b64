using System.Globalization;
using Dapper;
using Npgsql;

namespace Portal.Core.CertifiedCopies;

/// <summary>
/// The electronic-copy certification book of an agency for a year (R-I4, DOMAIN.md §8.1 step 4; separate from the
/// paper book). Choice where the sources are silent on electronic books: the year's book opens itself with its first
/// number, since Portal has no page where an officer opens a book and a refused copy helps nobody; the row records
/// when it was opened.
/// </summary>
public static class CertificationBook
{
    public const string ElectronicCopy = "electronic-copy";
    /// <summary>The book's symbol after the number and year: "15/2026/SCT/BS-ĐT" (sổ chứng thực bản sao, điện tử).</summary>
    public const string Suffix = "SCT/BS-ĐT";

    // The upsert row-locks (agency, year, kind) until the caller's transaction ends: concurrent issues of one agency
    // queue here, and a rollback gives the number back (no gaps, no duplicates — migration 0016).
    const string NextSql = """
        INSERT INTO portal.certification_books AS b (agency_code, year, kind, last_no, opened_at)
        VALUES (@agencyCode, @year, @kind, 1, @now)
        ON CONFLICT (agency_code, year, kind) DO UPDATE SET last_no = b.last_no + 1
        RETURNING b.last_no
        """;

    public static Task<int> NextAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string agencyCode, int year, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int>(new CommandDefinition(NextSql,
            new { agencyCode, year = (short)year, kind = ElectronicCopy, now = now.ToUniversalTime() }, tx, cancellationToken: ct));

    public static string Number(int no, int year) => string.Create(CultureInfo.InvariantCulture, $"{no}/{year}/{Suffix}");
}
