// In-process cost of converting Chat Completions through Anthropic Messages, against passing through.
//
//   dotnet run -c Release --project tests/Benchmarks/Micro -- --filter '*'
//
// BenchmarkDotNet's usual arguments apply (--job short for a quick look, --job dry to check it runs).
// End-to-end numbers, with Kestrel, HttpClient and the second hop, come from tests/Benchmarks/bench.sh.

using BenchmarkDotNet.Running;

// Always in-process: BenchmarkDotNet's usual separate build compiles the source generator and the whole
// dependency chain again for every run, which overran its 2-minute build timeout on a busy 2-core machine.
string[] arguments = args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase) ? args : [.. args, "--inProcess"];
// Not typeof(Program): Manifold.Host, referenced for MetricsBenchmarks, has a public Program of its own.
BenchmarkSwitcher.FromAssembly(typeof(Manifold.Benchmarks.Micro.MetricsBenchmarks).Assembly).Run(arguments);
