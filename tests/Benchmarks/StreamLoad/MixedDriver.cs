using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// The reliability run's load (tests/Benchmarks/reliability.sh): for <c>--seconds</c>, <c>--held</c> workers keep a stream
/// open back to back while <c>--workers</c> others mix JSON answers, streams, requests to a misbehaving upstream and bad
/// input over every protocol and platform, and <c>--media</c> workers run sandbox video jobs to a terminal state. Every
/// answer is judged (<see cref="Outcome"/>); the x-request-id of every licensed request is kept, so the run can check
/// the gateway's request log holds exactly the requests the client made.
/// </summary>
internal static class MixedDriver
{
    private static readonly string[] Platforms = ["openai", "claude", "gemini"];
    private static readonly FaultKind[] Faults = [FaultKind.Hang, FaultKind.Silent, FaultKind.Close, FaultKind.Truncate, FaultKind.Garbage, FaultKind.Error];

    public static async Task<int> RunAsync(Options o)
    {
        var run = new MixedRun(o);
        await run.RunAsync();
        return 0;
    }

    private sealed class MixedRun
    {
        private readonly string _gateway;
        private readonly string _key;
        private readonly int _events;
        private readonly string _expected;
        private readonly TimeSpan _duration;
        private readonly TimeSpan _requestTimeout;
        private readonly int _workers;
        private readonly int _held;
        private readonly int _media;
        private readonly int _pid;
        private readonly string _out;
        private readonly HttpClient _http;
        private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, long> _statusClasses = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, string> _examples = new(StringComparer.Ordinal);
        private readonly ConcurrentBag<string> _requestIds = [];
        private readonly ConcurrentBag<string> _answers = [];
        private readonly ConcurrentDictionary<string, string> _jobs = new(StringComparer.Ordinal);
        private long _requests;
        private long _licensed;
        private long _licensedWithoutId;
        private long _streamsDone;
        private int _open;
        private int _peakOpen;

        public MixedRun(Options o)
        {
            _gateway = o.Text("gateway").TrimEnd('/');
            _key = o.Text("key");
            _events = o.Number("events", 10);
            _expected = StreamText.Whole(_events);
            _duration = TimeSpan.FromSeconds(o.Number("seconds", 180));
            _requestTimeout = TimeSpan.FromSeconds(o.Number("request-timeout-seconds", 60));
            _workers = o.Number("workers", 32);
            _held = o.Number("held", 200);
            _media = o.Number("media", 2);
            _pid = o.Number("pid", 0);
            _out = o.Text("out", "-");
            _http = Clients.Create(_workers + _held + _media + 16);
            SseClient.Secret = o.Text("secret", "") is { Length: > 0 } secret ? secret : null;
        }

        public async Task RunAsync()
        {
            var sampler = _pid > 0 ? new RssSampler(_pid, () => Volatile.Read(ref _open)) : null;
            var before = _pid > 0 ? RssSampler.Read(_pid) : null;
            var clock = Stopwatch.StartNew();
            var until = DateTime.UtcNow + _duration;
            var tasks = new List<Task>();
            for (var i = 0; i < _held; i++)
            {
                var seed = i;
                tasks.Add(Task.Run(() => HeldAsync(seed, until)));
            }
            for (var i = 0; i < _workers; i++)
            {
                var seed = 10_000 + i;
                tasks.Add(Task.Run(() => MixAsync(seed, until)));
            }
            for (var i = 0; i < _media; i++)
            {
                tasks.Add(Task.Run(() => MediaAsync(until)));
            }
            await Task.WhenAll(tasks);
            var seconds = clock.Elapsed.TotalSeconds;
            await Task.Delay(2000);
            RssSampler.Sample[] samples = [];
            if (sampler is not null)
            {
                await sampler.DisposeAsync();
                samples = [.. sampler.Samples];
            }
            var after = _pid > 0 ? RssSampler.Read(_pid) : null;
            var summary = new
            {
                seconds = Math.Round(seconds, 1),
                requests = _requests,
                requests_per_second = Math.Round(_requests / seconds, 1),
                streams_completed = _streamsDone,
                peak_open_streams = _peakOpen,
                licensed_requests = _licensed,
                licensed_without_request_id = _licensedWithoutId,
                outcomes = new SortedDictionary<string, long>(_outcomes, StringComparer.Ordinal),
                status_classes = new SortedDictionary<string, long>(_statusClasses, StringComparer.Ordinal),
                examples = new SortedDictionary<string, string>(_examples, StringComparer.Ordinal),
                media_jobs = new SortedDictionary<string, long>(_jobs.Values.GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count()), StringComparer.Ordinal),
                media_job_ids = _jobs.Keys.Order(StringComparer.Ordinal).ToArray(),
                rss_mb = new
                {
                    before = Mb(before?.RssKb),
                    peak_sampled = Mb(samples.Length > 0 ? samples.Max(s => s.RssKb) : null),
                    peak_hwm = Mb(after?.HwmKb),
                    last_minute_max = Mb(samples.Length > 0 ? samples.Where(s => s.Seconds > samples[^1].Seconds - 60).Max(s => s.RssKb) : null),
                    after = Mb(after?.RssKb),
                },
                request_ids = _requestIds.ToArray(),
                // One line per licensed answer: request id (or "-"), what was asked, the status; the script matches them to the log.
                answers = _answers.ToArray(),
            };
            var json = JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true });
            if (_out != "-")
            {
                await File.WriteAllTextAsync(_out, json);
            }
            Console.WriteLine(json.Length > 4000 ? json[..4000] + "…" : json);
        }

        private static double? Mb(long? kb) => kb is { } v ? Math.Round(v / 1024.0, 1) : null;

        private async Task HeldAsync(int seed, DateTime until)
        {
            var random = new Random(seed);
            while (DateTime.UtcNow < until)
            {
                var inbound = Inbound.Of(Inbound.Names[random.Next(Inbound.Names.Length)]);
                var platform = Platforms[random.Next(Platforms.Length)];
                await SendAsync("stream", inbound, () => inbound.Request(_gateway, platform, Inbound.ModelFor(platform), _key, stream: true), stream: true, expectOk: true);
            }
        }

        private async Task MixAsync(int seed, DateTime until)
        {
            var random = new Random(seed);
            while (DateTime.UtcNow < until)
            {
                var inbound = Inbound.Of(Inbound.Names[random.Next(Inbound.Names.Length)]);
                var platform = Platforms[random.Next(Platforms.Length)];
                var stream = random.Next(2) == 0;
                var roll = random.Next(100);
                if (roll < 40)
                {
                    await SendAsync(stream ? "stream" : "json", inbound, () => inbound.Request(_gateway, platform, Inbound.ModelFor(platform), _key, stream), stream, expectOk: true);
                }
                else if (roll < 70)
                {
                    var fault = Faults[random.Next(Faults.Length)];
                    var model = $"{Inbound.ModelFor(platform)}-fault-{fault.ToString().ToLowerInvariant()}";
                    await SendAsync($"fault-{fault.ToString().ToLowerInvariant()}", inbound, () => inbound.Request(_gateway, platform, model, _key, stream), stream, expectOk: false);
                }
                else
                {
                    var bad = BadInputs.Pick(random, inbound, _gateway, platform, _key);
                    await SendAsync($"bad-{bad.Name}", inbound, bad.Build, stream: false, expectOk: false, licensed: bad.Licensed);
                }
            }
        }

        private async Task MediaAsync(DateTime until)
        {
            while (DateTime.UtcNow < until)
            {
                var (status, body, id) = await JsonCallAsync(HttpMethod.Post, "/v1/videos", new { model = "sandbox-video", prompt = "A lighthouse at dusk", seconds = "4", size = "1280x720" });
                if (status != 200 || Str(body, "id") is not { } job)
                {
                    Count("media create failed", $"{status} {body}");
                    await Task.Delay(1000);
                    continue;
                }
                _jobs[job] = "created";
                var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
                while (true)
                {
                    await Task.Delay(1000);
                    (status, body, _) = await JsonCallAsync(HttpMethod.Get, $"/v1/videos/{job}", null);
                    var state = Str(body, "status");
                    if (status == 200 && state is "completed" or "failed")
                    {
                        _jobs[job] = state;
                        Count($"media {state}");
                        break;
                    }
                    if (DateTime.UtcNow > deadline)
                    {
                        _jobs[job] = "not terminal in 3 min";
                        Count("media not terminal", job);
                        break;
                    }
                }
            }
        }

        private static string? Str(string body, string name)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private async Task<(int Status, string Body, string? Id)> JsonCallAsync(HttpMethod method, string path, object? body)
        {
            using var request = new HttpRequestMessage(method, _gateway + path);
            request.Headers.Authorization = new("Bearer", _key);
            if (body is not null)
            {
                request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            }
            Interlocked.Increment(ref _requests);
            Interlocked.Increment(ref _licensed);
            try
            {
                using var cts = new CancellationTokenSource(_requestTimeout);
                using var response = await _http.SendAsync(request, cts.Token);
                var text = await response.Content.ReadAsStringAsync(cts.Token);
                var id = RequestId(response, method == HttpMethod.Post ? "media-create" : "media-poll");
                StatusClass((int)response.StatusCode);
                return ((int)response.StatusCode, text, id);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                Count("media call failed", ex.GetType().Name);
                return (0, "", null);
            }
        }

        private string? RequestId(HttpResponseMessage response, string kind)
        {
            var id = response.Headers.TryGetValues("x-request-id", out var v) || response.Headers.TryGetValues("request-id", out v) ? v.FirstOrDefault() : null;
            _answers.Add($"{id ?? "-"}\t{kind}\t{(int)response.StatusCode}");
            if (id is null)
            {
                Interlocked.Increment(ref _licensedWithoutId);
            }
            else
            {
                _requestIds.Add(id);
            }
            return id;
        }

        private void StatusClass(int status) => _statusClasses.AddOrUpdate(status == 0 ? "none" : $"{status / 100}xx", 1, (_, n) => n + 1);

        private void Count(string outcome, string? example = null)
        {
            _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            if (example is not null)
            {
                _examples.TryAdd(outcome, example.Length > 400 ? example[..400] + "…" : example);
            }
        }

        /// <summary>Sends one request and judges its answer; <paramref name="expectOk"/> says whether a success is the right answer.</summary>
        private async Task SendAsync(string kind, Inbound inbound, Func<HttpRequestMessage> build, bool stream, bool expectOk, bool licensed = true)
        {
            Interlocked.Increment(ref _requests);
            if (licensed)
            {
                Interlocked.Increment(ref _licensed);
            }
            using var cts = new CancellationTokenSource(_requestTimeout);
            var opened = false;
            try
            {
                using var request = build();
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                var status = (int)response.StatusCode;
                StatusClass(status);
                if (licensed)
                {
                    RequestId(response, $"{inbound.Name}.{kind}");
                }
                var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
                if (status == 200 && isStream)
                {
                    opened = true;
                    var open = Interlocked.Increment(ref _open);
                    int peak;
                    while (open > (peak = Volatile.Read(ref _peakOpen)) && Interlocked.CompareExchange(ref _peakOpen, open, peak) != peak)
                    {
                    }
                    var result = new StreamResult();
                    await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
                    await SseClient.ReadAsync(body, inbound, result, cts.Token);
                    if (result.Leaked)
                    {
                        Count("SECRET LEAKED in a stream", kind);
                    }
                    if (result.Error)
                    {
                        Count(expectOk ? $"{kind}: error event (unexpected)" : $"{kind}: error event");
                    }
                    else if (result.Finished && result.Text.ToString() == _expected)
                    {
                        Interlocked.Increment(ref _streamsDone);
                        Count(expectOk ? $"{kind}: ok" : $"{kind}: clean finish (an upstream fault relayed as success)");
                    }
                    else if (expectOk)
                    {
                        Count($"{kind}: ended without its final event or its whole text (ill-formed)", $"finished={result.Finished} chars={result.Text.Length}");
                    }
                    else
                    {
                        // A broken upstream stream that reached the client without an error event: truthful streams are issue 10's work elsewhere.
                        Count($"{kind}: {(result.Finished ? "cut, yet finished as success" : "cut without an error event")} (an upstream fault relayed as success)", $"finished={result.Finished} chars={result.Text.Length}");
                    }
                    return;
                }
                var text = await response.Content.ReadAsStringAsync(cts.Token);
                if (SseClient.Secret is { } secret && (text.Contains(secret, StringComparison.Ordinal) || response.Headers.ToString().Contains(secret, StringComparison.Ordinal)))
                {
                    Count("SECRET LEAKED in an answer", kind);
                }
                if (status == 200)
                {
                    string? answer = null;
                    try
                    {
                        using var doc = JsonDocument.Parse(text);
                        answer = inbound.AnswerText(doc.RootElement);
                    }
                    catch (JsonException)
                    {
                    }
                    if (answer == _expected && !stream)
                    {
                        Count(expectOk ? $"{kind}: ok" : $"{kind}: 200 (an upstream fault relayed as success)", expectOk ? null : text);
                    }
                    else
                    {
                        Count($"{kind}: 200 ill-formed", text);
                    }
                    return;
                }
                Count(ErrorBody.IsWellFormed(text) ? $"{kind}: {status} error" : $"{kind}: {status} ill-formed error body", ErrorBody.IsWellFormed(text) ? null : $"{status} '{text}'");
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                Count($"{kind}: no answer within {_requestTimeout.TotalSeconds:0} s (hung)");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
            {
                Count($"{kind}: connection failed ({ex.GetType().Name})", ex.Message);
            }
            finally
            {
                if (opened)
                {
                    Interlocked.Decrement(ref _open);
                }
            }
        }
    }
}

/// <summary>An error answer is well-formed when it is a JSON object whose <c>error</c> is an object with a message (every protocol's shape has that).</summary>
internal static class ErrorBody
{
    public static bool IsWellFormed(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
