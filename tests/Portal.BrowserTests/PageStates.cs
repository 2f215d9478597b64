using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>
/// The gates of UX.md §5.1 for one page state: axe at WCAG 2.2 AA with zero violations, every input labelled, the
/// server's HTML saved for the Nu checker, and no horizontal scrolling at 320 px. Remembers the last document the
/// main frame received, so the HTML saved is the state on screen (an error re-render after a POST, a TempData
/// message after a redirect) rather than what a fresh GET of the address would answer.
/// </summary>
public sealed class PageStates
{
    readonly IPage page;
    IResponse? last;

    public PageStates(IPage page)
    {
        this.page = page;
        page.Response += (_, r) =>
        {
            if (r.Request.IsNavigationRequest && r.Frame == page.MainFrame && r.Status is < 300 or >= 400) last = r;
        };
    }

    public async Task CheckAsync(string name, bool reflow = true)
    {
        // A page restored from the back/forward cache has no new response: then a GET shows the same state.
        static string WithoutFragment(string url) => url.Split('#')[0];
        var html = last is not null && WithoutFragment(last.Url) == WithoutFragment(page.Url) ? await last.TextAsync() : null;
        await Accessibility.AssertNoViolationsAsync(page, name, html);
        await Accessibility.AssertEveryInputLabelledAsync(page);
        if (reflow) await ReflowAsync(name);
    }

    /// <summary>Gate 6: at 320 × 640 the page needs no horizontal scrolling; the viewport is put back afterwards.</summary>
    public async Task ReflowAsync(string name)
    {
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(320, 640);
        try
        {
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{name}: page is {overflow}px wider than the 320px viewport");
        }
        finally
        {
            if (size is not null) await page.SetViewportSizeAsync(size.Width, size.Height);
        }
    }

    /// <summary>Gate 4: the error pattern of UX.md §2.4 on the page now showing.</summary>
    public async Task AssertErrorPatternAsync()
    {
        Assert.StartsWith("Lỗi: ", await page.TitleAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('.error-summary')"),
            "focus should be in the error summary");
        Assert.Equal("Có thông tin cần sửa", (await page.Locator(".error-summary h2").TextContentAsync())?.Trim());
        var indicator = await page.EvaluateAsync<string>("""
            () => { const s = getComputedStyle(document.activeElement);
                    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? 'outline' : s.boxShadow !== 'none' ? 'shadow' : ''; }
            """);
        Assert.True(indicator != "", "the focused error summary shows no focus indicator");
        // Each link to this page points at an element that exists; each of those fields is marked invalid and
        // described by its own message, which exists too.
        var problems = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.error-summary a')].flatMap(a => {
                const href = a.getAttribute('href');
                if (!href.startsWith('#')) return [];
                const id = decodeURIComponent(href.slice(1));
                const field = document.getElementById(id);
                if (!field) return [`${href}: no element with this id`];
                const group = field.closest('fieldset');
                const described = (field.type === 'radio' || field.type === 'checkbox') && group && !field.hasAttribute('aria-invalid')
                    ? group : field;
                const errors = [];
                if (described === field && field.getAttribute('aria-invalid') !== 'true') errors.push(`${href}: no aria-invalid="true"`);
                const ids = (described.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
                const message = ids.map(i => document.getElementById(i)).find(m => m && m.classList.contains('error-message'));
                if (!message) errors.push(`${href}: aria-describedby does not point at an error message`);
                else if (!message.textContent.includes(a.textContent.trim())) errors.push(`${href}: inline message differs from the summary`);
                return errors;
            })
            """);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }
}
