using Portal.Core.Notifications;

namespace Portal.Core.Tests.Notifications;

public sealed class MailRetryTests
{
    static readonly DateTimeOffset FailedAt = DateTimeOffset.Parse("2026-11-23T09:00:00+07:00");

    [Theory]
    [InlineData(1, "00:01:00")]
    [InlineData(2, "00:02:00")]
    [InlineData(3, "00:04:00")]
    [InlineData(8, "02:08:00")]
    [InlineData(9, "04:00:00")]   // 4 h 16 min capped at 4 h
    [InlineData(60, "04:00:00")]  // no overflow however long the series
    public void The_wait_doubles_from_a_minute_up_to_four_hours(int attempts, string wait) =>
        Assert.Equal(TimeSpan.Parse(wait), MailRetry.Default.DelayAfter(attempts));

    [Fact]
    public void A_failed_attempt_is_retried_after_the_wait_until_the_attempts_are_used_up()
    {
        var retry = MailRetry.Default with { MaxAttempts = 3 };
        Assert.Equal(FailedAt.AddMinutes(1), retry.NextAttempt(1, FailedAt));
        Assert.Equal(FailedAt.AddMinutes(2), retry.NextAttempt(2, FailedAt));
        Assert.Null(retry.NextAttempt(3, FailedAt));
        Assert.Null(retry.NextAttempt(4, FailedAt));   // a crashed worker's re-claim can count past the limit
    }

    [Fact]
    public void A_permanent_failure_is_given_up_at_once()
    {
        Assert.Null(MailRetry.Default.NextAttempt(1, FailedAt, permanent: true));
    }

    [Fact]
    public void The_defaults_keep_trying_for_eight_and_a_quarter_hours()
    {
        var total = Enumerable.Range(1, MailRetry.Default.MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, n) => sum + MailRetry.Default.DelayAfter(n));
        Assert.Equal(TimeSpan.Parse("08:15:00"), total);   // 1+2+4+…+128 min, then 4 h
    }

    [Fact]
    public void Attempts_are_counted_from_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MailRetry.Default.DelayAfter(0));
    }
}
