using Portal.Core.Deadlines;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Deadlines;

public class ClassificationTests
{
    static readonly ClassificationRules Rules766 = ClassificationRules.Named("766-2022");

    [Theory]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-12T15:00+07:00", DossierClass.Early)]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-13T09:00+07:00", DossierClass.OnTime)]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-13T17:00+07:00", DossierClass.OnTime)]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-16T08:00+07:00", DossierClass.Late)]
    [InlineData("2026-03-13T10:00+07:00", "2026-03-13T15:00+07:00", DossierClass.Late)]
    public void Finished_dossiers_are_early_on_time_or_late(string due, string finished, DossierClass expected)
    {
        Assert.Equal(expected, Classification.Classify(Iso(due), Iso(finished), 0, Iso("2026-03-31T17:00+07:00"), Rules766));
    }

    [Theory]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-13T16:59+07:00", DossierClass.PendingWithinDeadline)]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-13T17:00+07:00", DossierClass.PendingWithinDeadline)]
    [InlineData("2026-03-13T17:00+07:00", "2026-03-13T17:01+07:00", DossierClass.PendingOverdue)]
    public void Pending_dossiers_are_compared_with_the_reporting_instant(string due, string reportAt, DossierClass expected)
    {
        Assert.Equal(expected, Classification.Classify(Iso(due), null, 0, Iso(reportAt), Rules766));
    }

    [Fact]
    public void More_than_one_supplement_request_is_late_under_the_766_rule_only()
    {
        var due = Iso("2026-03-13T17:00+07:00");
        var finished = Iso("2026-03-12T09:00+07:00");
        var report = Iso("2026-03-31T17:00+07:00");

        Assert.Equal(DossierClass.Early, Classification.Classify(due, finished, 1, report, Rules766));
        Assert.Equal(DossierClass.Late, Classification.Classify(due, finished, 2, report, Rules766));
        Assert.Equal(DossierClass.PendingOverdue, Classification.Classify(due, null, 2, Iso("2026-03-01T00:00+07:00"), Rules766));
        Assert.Equal(DossierClass.Early, Classification.Classify(due, finished, 2, report, ClassificationRules.Named("2018")));
    }

    [Fact]
    public void The_rules_in_force_depend_on_the_period()
    {
        Assert.Equal("2018", ClassificationRules.For(Day("2022-06-22")).Version);
        Assert.Equal("766-2022", ClassificationRules.For(Day("2022-06-23")).Version);
        Assert.Throws<DeadlineException>(() => ClassificationRules.Named("2099"));
    }

    [Fact]
    public void End_of_processing_follows_R_F9()
    {
        var processed = Iso("2026-03-10T10:00+07:00");
        var returned = Iso("2026-03-11T10:00+07:00");
        Assert.Equal(processed, Classification.EndOfProcessing(processed, returned, null, null));
        Assert.Equal(returned, Classification.EndOfProcessing(null, returned, null, null));
        Assert.Null(Classification.EndOfProcessing(null, null, null, null));
    }
}
