using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Portal.Benchmarks -- --filter '*'
// Figures, never asserts: results go to docs/PERFORMANCE.md with the command that produced them.
BenchmarkSwitcher.FromAssembly(typeof(Portal.Benchmarks.SearchTextBenchmarks).Assembly).Run(args);
