using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Portal.Benchmarks -- --filter '*'
// Figures, never asserts: results go to docs/PERFORMANCE.md with the command that produced them.
// "certified-copies <connection string> [copies] [workers…]" measures the certified-copies job instead (certified-copies.sh).
if (args is ["certified-copies", .. var rest])
{
    Environment.ExitCode = await Portal.Benchmarks.CertifiedCopyThroughput.RunAsync(rest);
    return;
}

// "mail …" is the mail dispatch rate against real servers instead (tests/Portal.Benchmarks/mail.sh).
if (args is ["mail", .. var mail])
{
    Environment.ExitCode = await Portal.Benchmarks.MailBenchmark.RunAsync(mail);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Portal.Benchmarks.SearchTextBenchmarks).Assembly).Run(args);
