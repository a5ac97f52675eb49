// Fake model API upstream used by tests/Benchmarks/bench.sh: OpenAI and Anthropic on one port.
//
//   FAKE_DELAY_MS=0 dotnet FakeUpstream.dll --urls http://127.0.0.1:PORT
//
// POST /v1/chat/completions  official chat.completion JSON, or an SSE stream when "stream": true (OpenAI)
// POST /v1/messages          official Message JSON, or its SSE event sequence when "stream": true (Anthropic)
// GET  /v1/models            official OpenAI model list
// GET  /_fake/stats          request counters, so a harness can check a gateway really reached us
//
// Both model endpoints give the same answer text and token counts, so a gateway converting one protocol
// to the other is measured against the same work. FAKE_DELAY_MS (default 0) holds every model answer
// back by that many milliseconds, the same for both, to stand in for a model's time to answer.
//
// It must never be the bottleneck: one terminal middleware (no routing), no logging below Warning,
// the request is read with a Utf8JsonReader over the raw pipe buffer, and responses are written with a
// per-thread Utf8JsonWriter, so the steady state allocates almost nothing per request.

using Manifold.Benchmarks.FakeUpstream;

var delayText = Environment.GetEnvironmentVariable("FAKE_DELAY_MS");
if (!string.IsNullOrEmpty(delayText))
{
    if (!int.TryParse(delayText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var delayMs))
    {
        Console.Error.WriteLine($"FAKE_DELAY_MS must be a whole number of milliseconds, not '{delayText}'.");
        return 2;
    }

    FakeAnswer.DelayMs = delayMs;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(o =>
{
    o.AddServerHeader = false;
    o.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
});

var app = builder.Build();
app.Run(FakeRoutes.HandleAsync);
await app.RunAsync();
return 0;
