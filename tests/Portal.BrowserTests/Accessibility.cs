using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.BrowserTests;

public static class Accessibility
{
    static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        ResultTypes = [ResultType.Violations],
    };

    // Gate 1 (UX.md §5.1): zero axe violations at WCAG 2.2 AA. Also saves the page's HTML for the Nu checker, which
    // ./test.sh runs over artifacts/html after this project (gate 3). A state that a GET cannot reproduce (the answer
    // to a POST, a message carried once in TempData) passes the bytes the browser received as serverHtml.
    public static async Task AssertNoViolationsAsync(IPage page, string name, string? serverHtml = null)
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "html");
        Directory.CreateDirectory(dir);
        // The server's own bytes, not the browser's re-serialised DOM, which would hide parse errors from the checker.
        serverHtml ??= await (await page.APIRequest.GetAsync(page.Url)).TextAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, $"{name}.html"), serverHtml);

        AxeResult result = await page.RunAxe(Wcag22AA);
        Assert.True(result.Violations.Length == 0, $"{name}:\n" + string.Join("\n",
            result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} × {v.Nodes.Length}: {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
    }

    // Gate 2: every input has a real label (axe accepts a placeholder as a name).
    public static async Task AssertEveryInputLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type))
                .filter(e => !(e.labels && e.labels.length))
                .map(e => e.id || e.name)
            """);
        Assert.Empty(unlabelled);
    }

    // Gate 6: no horizontal scrolling at 320 px.
    public static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"page is {overflow}px wider than the 320px viewport");
    }
}
