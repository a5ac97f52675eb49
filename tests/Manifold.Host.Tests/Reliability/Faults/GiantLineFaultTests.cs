using System.Net;
using Xunit.Abstractions;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>Run alone: the memory they measure is the process's, and other tests' allocations would blur it.</summary>
[CollectionDefinition(nameof(GiantLineFaultTests), DisableParallelization = true)]
public sealed class GiantLineCollection;

/// <summary>
/// Bounds: an upstream line that never ends (hundreds of MB) or a JSON answer as large stops at
/// <c>Manifold__Gateway__Limits__MaxStreamEventBytes</c> / <c>__MaxResponseBytes</c> with a 502 naming the bound, and the
/// process's memory grows by about the bound, not by the line. (On the build before the bounds, one 300 MB line took the
/// gateway from 121 MB to 5.2 GB.)
/// </summary>
[Collection(nameof(GiantLineFaultTests))]
public sealed class GiantLineFaultTests(FaultGateway gateway, ITestOutputHelper output) : IClassFixture<FaultGateway>
{
    // Far above either bound (4 MiB and 8 MiB here) plus what a JSON reader's doubling buffer and the pools keep, far below
    // what holding even a tenth of the 300 MB line would take.
    private const long AllowedGrowth = 96L * 1024 * 1024;

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task A_giant_line_is_a_502_naming_the_bound_and_memory_stays_bounded(ClientProtocol client, string family, bool stream)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(2);
            }
        });

        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Giant, stream);

        await sampling.CancelAsync();
        await sampler;
        var growth = peak - before;
        output.WriteLine($"{client} → {family}, stream: {stream}: the heap peaked {growth / (1024.0 * 1024):F1} MiB above where it started.");
        var message = FaultClient.AssertError(answer, client);
        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Contains(stream ? "Manifold__Gateway__Limits__MaxStreamEventBytes" : "Manifold__Gateway__Limits__MaxResponseBytes", message, StringComparison.Ordinal);
        Assert.True(growth < AllowedGrowth, $"The heap grew by {growth / (1024 * 1024)} MiB while a giant line was refused.");
    }
}
