using System.Buffers;
using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Portal.Core.Documents;

/// <summary>A file in the store: its content's SHA-256 (lower-case hex) is its name.</summary>
public sealed record StoredFile(string Sha256, long Size, FileType Type);

public abstract record StoreOutcome
{
    public sealed record Saved(StoredFile File) : StoreOutcome;
    /// <summary>The content went over the limit; nothing was kept.</summary>
    public sealed record TooLarge(long Limit) : StoreOutcome;
}

/// <summary>
/// Content-addressed file store on local disk (ARCHITECTURE.md, files): bytes are streamed to a temporary file while
/// they are hashed — never held whole in memory — then moved to <c>&lt;root&gt;/&lt;aa&gt;/&lt;bb&gt;/&lt;sha256&gt;</c>.
/// The same content uploaded twice is stored once. The database row (portal.stored_files) is written by the caller in
/// the transaction that links the file to something, so a file on disk without a row is an orphan of a failed upload,
/// which housekeeping purges after a grace period.
/// </summary>
public sealed class FileStore(string root)
{
    public const int HeadBytes = 8192;
    const int BufferBytes = 81920;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<StoreOutcome> SaveAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var incoming = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(incoming);
        var temp = Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[HeadBytes];
        var headLength = 0;
        long size = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferBytes), ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        file.Close();
                        File.Delete(temp);
                        return new StoreOutcome.TooLarge(maxBytes);
                    }
                    if (headLength < HeadBytes)
                    {
                        var take = Math.Min(read, HeadBytes - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
            }
            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Same content, same bytes: if another upload got there first, keep its copy.
            if (File.Exists(target)) File.Delete(temp);
            else File.Move(temp, target, overwrite: true);
            return new StoreOutcome.Saved(new StoredFile(sha256, size, FileType.Detect(head.AsSpan(0, headLength))));
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit)) throw new ArgumentException("Not a SHA-256 in hex.", nameof(sha256));
        sha256 = sha256.ToLowerInvariant();
        return Path.Combine(Root, sha256[..2], sha256[2..4], sha256);
    }

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public async Task<byte[]> ReadAllAsync(string sha256, CancellationToken ct) => await File.ReadAllBytesAsync(PathOf(sha256), ct);

    const string RecordSql = """
        INSERT INTO portal.stored_files (sha256, size, media_type, created_at) VALUES (@Sha256, @Size, @mediaType, @at)
        ON CONFLICT (sha256) DO NOTHING
        """;

    /// <summary>Records the file in the transaction that links it to something.</summary>
    public static Task RecordAsync(NpgsqlConnection conn, NpgsqlTransaction tx, StoredFile file, DateTimeOffset at) =>
        conn.ExecuteAsync(RecordSql, new { file.Sha256, file.Size, mediaType = file.Type.MediaType, at = at.ToUniversalTime() }, tx);
}
