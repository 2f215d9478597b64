using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>
/// A person using only the keyboard (UX.md §4.7): Tab, Shift+Tab, Enter, Space and typing. After every key the focused
/// element is recorded (tag, id, accessible name) and must show a visible focus indicator (a computed outline or
/// box-shadow) and not be covered by another element. The trail is written to artifacts/keyboard/ for review.
/// </summary>
public sealed class KeyboardUser(IPage page, string name)
{
    readonly List<string> trail = [];

    // Filled by Playwright from the script's object (it needs settable properties and a parameterless constructor).
    public sealed class Focus
    {
        public string Tag { get; set; } = "";
        public string Id { get; set; } = "";
        public string Type { get; set; } = "";
        public string Name { get; set; } = "";
        public string Href { get; set; } = "";
        public string Outline { get; set; } = "";
        public string Shadow { get; set; } = "";
        public bool Indicator { get; set; }
        public bool Unobscured { get; set; }

        public override string ToString() => $"<{Tag}{(Id == "" ? "" : "#" + Id)}{(Type == "" ? "" : $" type={Type}")}> “{Name}”{(Href == "" ? "" : $" → {Href}")}";
    }

    const string FocusScript = """
        () => {
            const e = document.activeElement;
            if (!e || e === document.body || e === document.documentElement) return null;
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            const labels = e.labels ? [...e.labels] : [];
            // A link that wraps has one box per line: it is unobscured when the middle of one of them is the link.
            const hits = [...e.getClientRects()].map(r => document.elementFromPoint(
                Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1)));
            const text = (labels.length ? labels.map(l => l.textContent).join(' ') : (e.getAttribute('aria-label') || e.textContent || e.value || ''));
            return {
                tag: e.tagName.toLowerCase(), id: e.id || '', type: e.getAttribute('type') || '',
                name: text.replace(/\s+/g, ' ').trim(), href: e.getAttribute('href') || '',
                outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow || 'none',
                indicator: outline || shadow,
                unobscured: hits.some(hit => !!hit && (hit === e || e.contains(hit) || labels.some(l => l.contains(hit)))),
            };
        }
        """;

    public async Task<Focus?> FocusAsync() => await page.EvaluateAsync<Focus?>(FocusScript);

    /// <summary>Presses a key that stays on this page, then records and checks where focus is.</summary>
    public async Task<Focus?> PressAsync(string key)
    {
        await page.Keyboard.PressAsync(key);
        return await RecordAsync(key);
    }

    public async Task TypeAsync(string text)
    {
        await page.Keyboard.TypeAsync(text);
        await RecordAsync($"type “{text}”");
    }

    /// <summary>Presses a key that loads another document (a link, a form post, the upload script) and waits for it.</summary>
    public async Task NavigateAsync(string key)
    {
        await page.EvaluateAsync("() => { window.__keyboardUserOldPage = true; }");
        await page.Keyboard.PressAsync(key);
        // Survives the navigation: true only in the new document, once it (and the deferred portal.js) has run.
        await page.WaitForFunctionAsync("() => !window.__keyboardUserOldPage && document.readyState === 'complete'",
            null, new() { PollingInterval = 50, Timeout = 30_000 });
        trail.Add($"  {key} → {page.Url}");
        await RecordAsync("(loaded)");
    }

    /// <summary>Tabs (or Shift+Tabs) until the focused element matches, checking every stop on the way.</summary>
    public async Task<Focus> TabToAsync(Func<Focus, bool> match, string what, bool backwards = false, int maxStops = 80)
    {
        for (var i = 0; i < maxStops; i++)
        {
            var focus = await PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (focus is not null && match(focus)) return focus;
        }
        throw new Xunit.Sdk.XunitException($"{what}: not reached in {maxStops} Tab stops on {page.Url}\n" + string.Join("\n", trail.TakeLast(maxStops)));
    }

    public Task<Focus> TabToNameAsync(string accessibleName, bool backwards = false) =>
        TabToAsync(f => f.Name == accessibleName, $"“{accessibleName}”", backwards);

    public Task<Focus> TabToIdAsync(string id, bool backwards = false) =>
        TabToAsync(f => f.Id == id, $"#{id}", backwards);

    async Task<Focus?> RecordAsync(string key)
    {
        var focus = await FocusAsync();
        trail.Add($"{key,-12} {focus?.ToString() ?? "(nothing focused)"}{(focus is null ? "" : $"  [outline {focus.Outline}; shadow {focus.Shadow}]")}");
        if (focus is not null)
        {
            Assert.True(focus.Indicator, $"focus is not visible on {focus} at {page.Url} (outline {focus.Outline}, box-shadow {focus.Shadow})");
            Assert.True(focus.Unobscured, $"the focused {focus} is covered by another element at {page.Url}");
        }
        return focus;
    }

    /// <summary>The stops so far, one a line, for the test's artefacts.</summary>
    public async Task SaveAsync()
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "keyboard");
        Directory.CreateDirectory(dir);
        await File.WriteAllLinesAsync(Path.Combine(dir, $"{name}.txt"), trail);
    }

    public int Stops => trail.Count;
}
