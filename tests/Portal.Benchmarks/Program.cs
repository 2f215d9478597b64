using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Portal.Benchmarks -- --filter '*'
// Figures, never asserts: results go to docs/PERFORMANCE.md with the command that produced them.
// "mail …" is the mail dispatch rate against real servers instead (tests/Portal.Benchmarks/mail.sh).
if (args is ["mail", .. var mail]) return await Portal.Benchmarks.MailBenchmark.RunAsync(mail);
BenchmarkSwitcher.FromAssembly(typeof(Portal.Benchmarks.SearchTextBenchmarks).Assembly).Run(args);
return 0;
