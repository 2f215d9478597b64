using System.Diagnostics;
using System.Text.Json;

namespace Portal.Web.Tests.Mail;

/// <summary>A message as a receiver sees it, read back by Python's email package (an independent MIME parser).</summary>
public sealed record ReceivedMail
{
    public string File { get; init; } = "";
    public string Subject { get; init; } = "";
    public List<string> To { get; init; } = [];
    public string RcptTo { get; init; } = "";
    public string FromAddress { get; init; } = "";
    public string FromName { get; init; } = "";
    /// <summary>Every Message-ID header of the message: exactly one is expected.</summary>
    public List<string> MessageIds { get; init; } = [];
    public string? ContentLanguage { get; init; }
    public string? Text { get; init; }
    public string? Html { get; init; }
    public List<ReceivedAttachment> Attachments { get; init; } = [];
}

public sealed record ReceivedAttachment
{
    public string? FileName { get; init; }
    public string ContentType { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Size { get; init; }
}

/// <summary>
/// The SMTP server ./test.sh starts (Debian's aiosmtpd on loopback, PORTAL_TEST_SMTP) and the Maildir it writes
/// (PORTAL_TEST_MAILDIR). Missing variables fail the test: a green run without the real server would be false.
/// </summary>
public static class Mailbox
{
    public static (string Host, int Port) Smtp
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("PORTAL_TEST_SMTP")
                ?? throw new InvalidOperationException("PORTAL_TEST_SMTP is not set. Run ./test.sh, which starts an SMTP server (aiosmtpd) for the mail tests.");
            var colon = value.LastIndexOf(':');
            return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static string Directory =>
        Environment.GetEnvironmentVariable("PORTAL_TEST_MAILDIR")
        ?? throw new InvalidOperationException("PORTAL_TEST_MAILDIR is not set. Run ./test.sh, which starts an SMTP server (aiosmtpd) for the mail tests.");

    /// <summary>A recipient no other test (nor an earlier run on the same Maildir) uses.</summary>
    public static string NewRecipient(string who = "nguoi-nhan") => $"{who}.{Guid.NewGuid().ToString("N")[..12]}@example.vn";

    /// <summary>Every message delivered to <paramref name="recipientOrMessageId"/> (by the SMTP envelope or the To
    /// header), or carrying that Message-ID.</summary>
    public static Task<List<ReceivedMail>> ReceivedAsync(string recipientOrMessageId) => ParseAsync(Path.Combine(Directory, "new"), recipientOrMessageId);

    /// <summary>Every .eml file in a directory (pickup mode), or one file.</summary>
    public static Task<List<ReceivedMail>> ParseAsync(string path, string? recipient = null) => RunAsync(path, recipient ?? "");

    // Debian's interpreter by path: a python3 earlier on PATH (pyenv) is fine for this script, but keep one interpreter.
    const string Python = "/usr/bin/python3";

    const string Script = """
        import sys, os, json, hashlib
        from email import policy
        from email.header import decode_header, make_header
        from email.parser import BytesParser
        from email.utils import parseaddr
        path, rcpt = sys.argv[1], sys.argv[2]
        files = [os.path.join(path, n) for n in sorted(os.listdir(path))] if os.path.isdir(path) else [path]
        out = []
        for f in files:
            with open(f, 'rb') as fh:
                raw = fh.read()
            if rcpt and rcpt.encode() not in raw:   # cheap first cut: addresses and Message-IDs are ASCII
                continue
            msg = BytesParser(policy=policy.default).parsebytes(raw)
            to = [a.addr_spec for a in msg['To'].addresses] if msg['To'] else []
            envelope = msg.get('X-RcptTo', '')
            ids = [str(v).strip() for v in msg.get_all('Message-ID', [])]
            if rcpt and rcpt not in to and rcpt not in [r.strip() for r in envelope.split(',')] and rcpt not in ids:
                continue
            # The sender's name through the RFC 2047 decoder: policy.default's address parser puts a space between two
            # adjacent encoded-words of a display name (which the RFC says to drop), and System.Net.Mail folds long names.
            sender = parseaddr(str(make_header(decode_header(BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)['From'] or ''))))
            text, html = msg.get_body(('plain',)), msg.get_body(('html',))
            attachments = []
            for part in msg.iter_attachments():
                data = part.get_payload(decode=True) or b''
                attachments.append({'file_name': part.get_filename(), 'content_type': part.get_content_type(),
                                    'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data)})
            out.append({'file': f, 'subject': str(msg['Subject'] or ''), 'to': to, 'rcpt_to': envelope,
                        'from_address': sender[1], 'from_name': sender[0],
                        'message_ids': ids,
                        'content_language': msg.get('Content-Language'),
                        'text': text.get_content() if text else None, 'html': html.get_content() if html else None,
                        'attachments': attachments})
        json.dump(out, sys.stdout, ensure_ascii=False)
        """;

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    static async Task<List<ReceivedMail>> RunAsync(string path, string recipient)
    {
        var start = new ProcessStartInfo(Python, ["-c", Script, path, recipient])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        if (python.ExitCode != 0) throw new InvalidOperationException($"Reading {path} failed: {await stderr}");
        return JsonSerializer.Deserialize<List<ReceivedMail>>(await stdout, Json)!;
    }
}
