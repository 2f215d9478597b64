using System.Text.Json;
using Dapper;
using Npgsql;

namespace Portal.Core.Notifications;

/// <summary>
/// A message to send, written in the same transaction as the change it reports (ARCHITECTURE.md, mail): a rolled-back
/// change sends nothing, a committed one is never forgotten. Kind names the template the jobs issue renders from Data;
/// Subject and BodyText are the plain-text rendering made now, so a message is complete before templates exist.
/// </summary>
public sealed record OutboxMessage(string Kind, string Recipient, string Subject, string BodyText)
{
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
    public Guid? DossierId { get; init; }
}

public static class Outbox
{
    const string InsertSql = """
        INSERT INTO portal.outbox_messages (kind, recipient, subject, body_text, data, dossier_id, created_at)
        VALUES (@Kind, @Recipient, @Subject, @BodyText, @data::jsonb, @DossierId, @at)
        RETURNING id
        """;

    public static Task<Guid> EnqueueAsync(NpgsqlConnection conn, NpgsqlTransaction tx, OutboxMessage message, DateTimeOffset at) =>
        conn.ExecuteScalarAsync<Guid>(InsertSql, new
        {
            message.Kind, message.Recipient, message.Subject, message.BodyText, message.DossierId,
            data = JsonSerializer.Serialize(message.Data), at = at.ToUniversalTime(),
        }, tx);

    const string InsertManySql = """
        INSERT INTO portal.outbox_messages (kind, recipient, subject, body_text, data, dossier_id, created_at)
        SELECT m.kind, m.recipient, m.subject, m.body_text, m.data::jsonb, m.dossier_id, @at
          FROM unnest(@kinds, @recipients, @subjects, @bodies, @data, @dossierIds)
               AS m(kind, recipient, subject, body_text, data, dossier_id)
        """;

    /// <summary>Many messages in one statement (the reminder sweep writes a batch at a time).</summary>
    public static Task<int> EnqueueManyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<OutboxMessage> messages, DateTimeOffset at,
        CancellationToken ct = default) =>
        messages.Count == 0 ? Task.FromResult(0) : conn.ExecuteAsync(new CommandDefinition(InsertManySql, new
        {
            kinds = messages.Select(m => m.Kind).ToArray(), recipients = messages.Select(m => m.Recipient).ToArray(),
            subjects = messages.Select(m => m.Subject).ToArray(), bodies = messages.Select(m => m.BodyText).ToArray(),
            data = messages.Select(m => JsonSerializer.Serialize(m.Data)).ToArray(), dossierIds = messages.Select(m => m.DossierId).ToArray(),
            at = at.ToUniversalTime(),
        }, tx, cancellationToken: ct));
}
