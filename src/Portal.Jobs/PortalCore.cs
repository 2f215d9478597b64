using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.Database;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Signatures;

namespace Portal.Jobs;

// The services every Portal process needs, web or worker (ARCHITECTURE.md: Web -> Jobs -> Core). Lives here so the
// worker host (Program.cs in this project) builds exactly what the web process builds, minus HTTP.
public static class PortalCore
{
    public static IServiceCollection AddPortalCore(this IServiceCollection services, IConfiguration config)
    {
        var connectionString = config.GetConnectionString("Portal");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings:Portal (environment variable ConnectionStrings__Portal). ./run.sh does this for you.");
        services.AddSingleton(_ => Db.CreateDataSource(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(s => new CalendarStore(s.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(s => new CatalogueCache(s.GetRequiredService<NpgsqlDataSource>(), config.GetValue("Portal:CatalogueCache", true)));
        services.AddSingleton(SignaturePolicy.Version1);
        // Built now, not on first use: a trust-store file that does not match its pinned fingerprint stops start-up.
        var trust = ConfiguredTrust(config);
        var revocation = ConfiguredRevocation(config);
        services.AddSingleton(s => new SignatureStore(s.GetRequiredService<NpgsqlDataSource>(), s.GetRequiredService<SignaturePolicy>(),
            s.GetRequiredService<TimeProvider>(), trust, revocation));
        services.AddSingleton(new FileStore(config["Portal:Files"] is { Length: > 0 } files ? files : Path.Combine(Environment.CurrentDirectory, ".data", "files")));
        services.AddSingleton(new DossierRules
        {
            MaxFileBytes = config.GetValue("Portal:Uploads:MaxFileMegabytes", 20L) * 1024 * 1024,
            MaxDossierBytes = config.GetValue("Portal:Uploads:MaxDossierMegabytes", 100L) * 1024 * 1024,
            DraftLifetime = TimeSpan.FromDays(config.GetValue("Portal:Drafts:LifetimeDays", 30)),
        });
        services.AddSingleton<Dossiers>();
        services.AddSingleton(new SigningKeys(config));
        services.AddSingleton(s => new PadesSigner(s.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new FormSite(config["Portal:ProvinceName"] ?? "tỉnh Bình Sơn", config["Portal:Hotline"] ?? "1900 0000",
            config.GetValue("Portal:Demo", false) ? DemoPki.Marker : null));
        services.AddSingleton<BackOffice>();
        services.AddSingleton(MailSettings(config));
        services.AddSingleton<Portal.Core.Notifications.MailDispatcher>();
        services.AddSingleton(new Portal.Core.Reminders.ReminderSettings
        {
            StepHoursLeft = config.GetValue("Portal:Reminders:StepHoursLeft", 4m),
            ApologyLeadHours = config.GetValue("Portal:Reminders:ApologyLeadHours", 8m),
            SupplementDays = config.GetValue("Portal:Reminders:SupplementDays", 5m),
            UncollectedDays = config.GetValue("Portal:Reminders:UncollectedDays", 3m),
            BatchSize = Math.Max(1, config.GetValue("Portal:Reminders:BatchSize", 500)),
            PublicUrl = config["Portal:PublicUrl"] is { Length: > 0 } url ? url.TrimEnd('/') : "http://127.0.0.1:5080",
        });
        services.AddSingleton<Portal.Core.Reminders.Reminders>();
        // The copies' QR codes and e-mail links start with the public address (the web's Site.PublicBase has no request here).
        services.AddSingleton(new Portal.Core.CertifiedCopies.CertifiedCopySettings(
            config["Portal:PublicUrl"] is { Length: > 0 } publicUrl ? publicUrl : "http://127.0.0.1:5080"));
        services.AddSingleton<Portal.Core.CertifiedCopies.CertifiedCopies>();
        services.AddSingleton(s => new Portal.Core.Housekeeping.Housekeeping(s.GetRequiredService<NpgsqlDataSource>(),
            s.GetRequiredService<FileStore>(), s.GetRequiredService<TimeProvider>())
        {
            OrphanGrace = TimeSpan.FromHours(config.GetValue("Portal:Housekeeping:OrphanGraceHours", 24)),
            StatisticsWindowDays = config.GetValue("Portal:Housekeeping:StatisticsWindowDays", 62),
        });
        if (config.GetValue("Portal:MigrateOnStart", true)) services.AddHostedService<MigrateOnStart>();
        return services;
    }

    /// <summary>
    /// Portal:Mail:* (README, Mail). No Host: .eml files in PickupDirectory (default .data/mail under the working
    /// directory, like .data/files). Checked now so that a lease that cannot cover one send stops start-up.
    /// </summary>
    static Portal.Core.Notifications.MailSettings MailSettings(IConfiguration config)
    {
        var mail = config.GetSection("Portal:Mail");
        var defaults = new Portal.Core.Notifications.MailSettings();
        var settings = new Portal.Core.Notifications.MailSettings
        {
            Host = mail["Host"] is { Length: > 0 } host ? host : null,
            Port = mail.GetValue("Port", defaults.Port),
            StartTls = mail.GetValue("StartTls", defaults.StartTls),
            User = mail["User"],
            Password = mail["Password"],
            From = mail["From"] is { Length: > 0 } from ? from : defaults.From,
            FromName = mail["FromName"] is { Length: > 0 } name ? name : config["Portal:Name"] ?? defaults.FromName,
            PickupDirectory = mail["PickupDirectory"] is { Length: > 0 } dir ? Path.GetFullPath(dir) : defaults.PickupDirectory,
            BatchSize = mail.GetValue("BatchSize", defaults.BatchSize),
            Connections = mail.GetValue("Connections", defaults.Connections),
            Retry = defaults.Retry with
            {
                MaxAttempts = mail.GetValue("MaxAttempts", defaults.Retry.MaxAttempts),
                FirstDelay = TimeSpan.FromSeconds(mail.GetValue("FirstRetrySeconds", defaults.Retry.FirstDelay.TotalSeconds)),
                MaxDelay = TimeSpan.FromMinutes(mail.GetValue("MaxRetryMinutes", defaults.Retry.MaxDelay.TotalMinutes)),
            },
            Lease = TimeSpan.FromSeconds(mail.GetValue("LeaseSeconds", defaults.Lease.TotalSeconds)),
            SendTimeout = TimeSpan.FromSeconds(mail.GetValue("TimeoutSeconds", defaults.SendTimeout.TotalSeconds)),
            SiteUrl = config["Portal:PublicUrl"] is { Length: > 0 } url ? url.TrimEnd('/') : defaults.SiteUrl,
            Hotline = config["Portal:Hotline"] ?? defaults.Hotline,
            HelpEmail = config["Portal:HelpEmail"],
        };
        if (settings.BatchSize < 1 || settings.Connections < 1 || settings.Retry.MaxAttempts < 1)
            throw new InvalidOperationException("Portal:Mail:BatchSize, Connections and MaxAttempts must be at least 1.");
        if (settings.Lease <= settings.SendTimeout * 3)
            throw new InvalidOperationException("Portal:Mail:LeaseSeconds must be more than three times Portal:Mail:TimeoutSeconds: a claimed message is started only while its lease has two timeouts left.");
        if (!settings.From.Contains('@'))
            throw new InvalidOperationException("Portal:Mail:From must be an e-mail address (its domain is the right-hand side of every Message-ID).");
        return settings;
    }

    /// <summary>
    /// The shipped trust store plus PEM files named in configuration (Portal:Signatures:ExtraAnchors and
    /// ExtraIntermediates, comma-separated paths). Only the demo and tests use this for their own PKI; production
    /// additions go through the administrators' page so they are audited.
    /// </summary>
    static TrustStore ConfiguredTrust(IConfiguration config) => TrustStore.Default(
        Paths(config, "Portal:Signatures:ExtraAnchors").SelectMany(p => TrustStore.ReadPem(File.ReadAllText(p))),
        Paths(config, "Portal:Signatures:ExtraIntermediates").SelectMany(p => TrustStore.ReadPem(File.ReadAllText(p))));

    /// <summary>CRL files named in Portal:Signatures:CrlFiles (the demo's CAs publish theirs there).</summary>
    static CmsEvidence? ConfiguredRevocation(IConfiguration config)
    {
        var paths = Paths(config, "Portal:Signatures:CrlFiles");
        if (paths.Length == 0) return null;
        var evidence = new CmsEvidence();
        evidence.Crls.AddRange(paths.Select(File.ReadAllBytes));
        return evidence;
    }

    static string[] Paths(IConfiguration config, string key) =>
        (config[key] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

// Applies pending migrations before the server starts listening (hosted services start before Kestrel).
public sealed class MigrateOnStart(NpgsqlDataSource db, ILogger<MigrateOnStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var applied = await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
        if (applied.Count > 0) log.LogInformation("Applied migrations: {Names}", string.Join(", ", applied));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
