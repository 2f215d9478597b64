using Microsoft.Playwright;
using Portal.Core.Catalogue;

namespace Portal.BrowserTests;

// One Chromium and one portal process for the whole run; a new browser context per test.
public sealed class BrowserFixture : IAsyncLifetime
{
    IPlaywright? playwright;
    public IBrowser Browser { get; private set; } = null!;
    public PortalServer Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Portal = await PortalServer.StartAsync(TestCatalogue.Package);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = File.Exists("/usr/lib/chromium/chromium") ? "/usr/lib/chromium/chromium" : "/usr/bin/chromium",
            Headless = true,
            // root in CI → no sandbox; closed network → no background connections
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new()
        {
            Locale = "vi-VN",
            ViewportSize = new() { Width = width, Height = height },
            BaseURL = Portal.BaseUrl,
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (Portal is not null) await Portal.DisposeAsync();
    }
}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;
