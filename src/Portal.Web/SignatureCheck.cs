using Portal.Core.Signatures;

namespace Portal.Web;

// The public signature check shared by /kiem-tra-chu-ky and POST /api/v1/signatures/verify: read the uploaded file
// (and its .p7s), verify, and return the report. Nothing is stored (issue: "nothing is stored by the public check").
public static class SignatureCheck
{
    public abstract record Outcome
    {
        public sealed record Checked(SignatureReport Report) : Outcome;
        /// <summary>Bad input: the field it concerns, an HTTP status for the API, and what to do, in Vietnamese.</summary>
        public sealed record Refused(string Field, int Status, string Message, string? DetectedType = null) : Outcome;
    }

    /// <summary>
    /// Upper bound of a request: two files of the policy's 50 MB and the multipart overhead. A constant because
    /// attributes need one; each file is then checked against the policy's own limit.
    /// </summary>
    public const long RequestLimit = 2 * 50L * 1024 * 1024 + 1024 * 1024;

    public static async Task<Outcome> RunAsync(IFormFile? file, IFormFile? signature, SignatureStore store, CancellationToken ct)
    {
        var verifier = await store.VerifierAsync(ct);
        var limit = verifier.Policy.MaxFileBytes;
        var limitText = $"{limit / (1024 * 1024)} MB";
        if (file is null || file.Length == 0)
            return new Outcome.Refused("file", 400, "Hãy chọn tệp cần kiểm tra (tệp PDF, tệp .p7m, hoặc tệp gốc kèm tệp chữ ký .p7s).");
        if (file.Length > limit)
            return new Outcome.Refused("file", 413, $"Tệp \"{Name(file)}\" lớn hơn {limitText}. Hãy gửi tệp nhỏ hơn {limitText}.");
        if (signature is { Length: > 0 } && signature.Length > limit)
            return new Outcome.Refused("signature", 413, $"Tệp chữ ký \"{Name(signature)}\" lớn hơn {limitText}.");

        var content = await ReadAsync(file, ct);
        // Explicit: a null byte[] would convert to an empty (non-null) ReadOnlyMemory and look like a .p7s.
        ReadOnlyMemory<byte>? detached = null;
        if (signature is { Length: > 0 }) detached = await ReadAsync(signature, ct);
        try
        {
            // CPU-bound and bounded by the policy's time limit; the request thread may as well do it.
            return new Outcome.Checked(verifier.Verify(content, detached, ct: ct));
        }
        catch (UnsupportedDocumentException e)
        {
            return new Outcome.Refused(e.InSignature ? "signature" : "file", 422, e.Message, e.Detected.Label);
        }
    }

    static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken ct)
    {
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    /// <summary>The browser-supplied name, only for messages (the same cleaning as names of uploaded documents).</summary>
    public static string Name(IFormFile file) => Portal.Core.Documents.FileNames.Sanitise(file.FileName);
}
