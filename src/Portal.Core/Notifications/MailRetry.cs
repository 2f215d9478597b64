namespace Portal.Core.Notifications;

/// <summary>
/// When a message that could not be sent is tried again (docs/MAIL.md): the wait doubles from <see cref="FirstDelay"/>
/// up to <see cref="MaxDelay"/>, and after <see cref="MaxAttempts"/> attempts the message is given up and shown to the
/// administrators. With the defaults (1 minute, 4 hours, 10 attempts) a message is tried for 8¼ hours — an SMTP
/// relay down for the night is waited out, a wrong address is not retried for days. No jitter: a batch is small and
/// its messages failed together because the relay was down, so spreading them would only delay them.
/// </summary>
public sealed record MailRetry(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly MailRetry Default = new(10, TimeSpan.FromMinutes(1), TimeSpan.FromHours(4));

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1-based).</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        if (attempts < 1) throw new ArgumentOutOfRangeException(nameof(attempts), attempts, "Attempts are counted from 1.");
        var delay = FirstDelay;
        for (var n = 1; n < attempts && delay < MaxDelay; n++) delay += delay;
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>
    /// The next attempt after a failed one, or null when the message is given up: the attempts are used up, or the
    /// failure is permanent (the address is malformed or the receiving server refused the recipient for good).
    /// </summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset failedAt, bool permanent = false) =>
        permanent || attempts >= MaxAttempts ? null : failedAt + DelayAfter(attempts);
}
