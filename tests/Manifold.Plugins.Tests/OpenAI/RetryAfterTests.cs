using System.Globalization;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

/// <summary>
/// An upstream's 429 says how long to wait, and the exception carries it (the host rests the account that long): OpenAI's
/// <c>retry-after-ms</c>, else <c>Retry-After</c> as seconds or as a date measured against the answer's own <c>Date</c>.
/// </summary>
public sealed class RetryAfterTests
{
    private static async Task<UpstreamException> RateLimitedAsync(Action<IHeaderDictionary> headers)
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", (HttpContext http) =>
        {
            headers(http.Response.Headers);
            return Results.Text(OfficialPayloads.RateLimitError, "application/json", statusCode: 429);
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);
        return await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));
    }

    [Fact]
    public async Task Retry_after_in_seconds()
    {
        var error = await RateLimitedAsync(static h => h.RetryAfter = "20");

        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
    }

    [Fact]
    public async Task Retry_after_ms_wins_over_retry_after()
    {
        var error = await RateLimitedAsync(static h =>
        {
            h.RetryAfter = "20";
            h["retry-after-ms"] = "1500";
        });

        Assert.Equal(TimeSpan.FromMilliseconds(1500), error.RetryAfter);
    }

    [Fact]
    public async Task Retry_after_as_a_date_counts_from_the_answers_own_date()
    {
        var date = new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var error = await RateLimitedAsync(h =>
        {
            h.Date = date.ToString("R", CultureInfo.InvariantCulture);
            h.RetryAfter = date.AddSeconds(90).ToString("R", CultureInfo.InvariantCulture);
        });

        Assert.Equal(TimeSpan.FromSeconds(90), error.RetryAfter);
    }

    [Fact]
    public async Task Without_the_header_there_is_no_wait_to_honour()
    {
        var error = await RateLimitedAsync(static _ => { });

        Assert.Null(error.RetryAfter);
    }
}
