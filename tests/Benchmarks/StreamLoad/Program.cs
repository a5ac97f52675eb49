// tests/Benchmarks/StreamLoad: the load side of streams.sh and reliability.sh (see the .csproj and docs/benchmarks.md).
//
//   dotnet StreamLoad.dll upstream --urls http://127.0.0.1:PORT      the slow fake upstream (SLOW_EVENTS, SLOW_INTERVAL_MS)
//   dotnet StreamLoad.dll streams --gateway URL --key K --inbound chat --platform openai --streams 1000 --pid PID --out F
//   dotnet StreamLoad.dll mixed --gateway URL --key K --seconds 180 --out F
using Manifold.Benchmarks.StreamLoad;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: StreamLoad upstream|streams|mixed [options]");
    return 2;
}

var rest = args[1..];
return args[0] switch
{
    "upstream" => await SlowUpstream.RunAsync(rest),
    "streams" => await StreamDriver.RunAsync(Options.Parse(rest)),
    "mixed" => await MixedDriver.RunAsync(Options.Parse(rest)),
    _ => Usage(args[0]),
};

static int Usage(string command)
{
    Console.Error.WriteLine($"unknown command '{command}': use upstream, streams or mixed");
    return 2;
}
