using Manifold.Contracts;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Host.Tests.Gateway;

/// <summary>The HTTP-free invoker that requests and background work (media polling) share.</summary>
public sealed class UpstreamInvokerTests
{
    private sealed class Platform : IPlatform
    {
        public string Name => "up";

        public IReadOnlyList<string> DefaultModels => ["m-*"];
    }

    private static readonly UpstreamAccount A = new("acct_a", "sk-a");
    private static readonly UpstreamAccount B = new("acct_b", "sk-b");

    private static (UpstreamInvoker, PlatformEntry) Create() => (
        new UpstreamInvoker(new GatewayOptions(), new GatewayLog(NullLogger<GatewayLog>.Instance)),
        new PlatformEntry(new Platform(), new PlatformSettings { Name = "up", Plugin = "test", Accounts = [A, B] }, TimeProvider.System));

    private static UpstreamException Overloaded() => new(529, "overloaded_error", "Overloaded", retryable: true);

    [Fact]
    public async Task A_retryable_failure_moves_to_the_other_account_and_the_result_is_a_value()
    {
        var (invoker, entry) = Create();
        var used = new List<string>();

        var outcome = await invoker.InvokeAsync(entry, "adapter", (_, context, _) =>
        {
            used.Add(context.Account!.Id);
            return used.Count == 1 ? throw Overloaded() : Task.FromResult("done");
        }, "req-1", "op", CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal("done", outcome.Value);
        Assert.Equal(2, used.Distinct().Count());
        Assert.Equal("req-1", outcome.Context.RequestId);
    }

    [Fact]
    public async Task A_pinned_account_is_the_only_one_tried_and_its_failure_is_an_error_value()
    {
        var (invoker, entry) = Create();
        var used = new List<string>();

        var outcome = await invoker.InvokeAsync<string, string>(entry, "adapter", (_, context, _) =>
        {
            used.Add(context.Account!.Id);
            throw Overloaded();
        }, "req-2", "op", CancellationToken.None, pinned: entry.FindAccount("acct_b"));

        Assert.Equal(["acct_b"], used);
        Assert.False(outcome.Succeeded);
        Assert.Equal((529, "Overloaded"), (outcome.Error!.Status, outcome.Error.Message));
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_502_that_names_the_request_not_the_exception_text()
    {
        var (invoker, entry) = Create();

        var outcome = await invoker.InvokeAsync<string, string>(entry, "adapter",
            (_, _, _) => throw new InvalidOperationException("secret detail sk-a"), "req-3", "op", CancellationToken.None);

        Assert.Equal(502, outcome.Error!.Status);
        Assert.Contains("req-3", outcome.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-a", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_that_went_away_gets_the_cancelled_marker_not_an_error_to_write()
    {
        var (invoker, entry) = Create();
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        var outcome = await invoker.InvokeAsync<string, string>(entry, "adapter",
            (_, _, cancellationToken) => Task.FromCanceled<string>(cancellationToken), "req-4", "op", gone.Token);

        Assert.Same(UpstreamInvoker.Cancelled, outcome.Error);
    }
}
