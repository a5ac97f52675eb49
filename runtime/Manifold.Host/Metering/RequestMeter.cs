using System.Diagnostics;
using System.Globalization;
using Manifold.Host.Endpoints;
using Manifold.Host.Licences;
using Manifold.Host.Protocols;

namespace Manifold.Host.Metering;

/// <summary>
/// What one gateway request used, filled in as it goes: the platform and model it was routed to, the account that served
/// it, the tokens the upstream reported (<see cref="UsageReaders"/>), the time spent waiting on the upstream and on the
/// client, and how it ended. <see cref="UsageMiddleware"/> makes one per request (the only allocation metering adds to it)
/// and turns it into a <see cref="UsageRecord"/> at the end. Used by one request at a time, so nothing here is locked.
/// </summary>
/// <remarks>
/// A stream the client abandons is metered for what was produced: the usage the upstream reported so far, topped up
/// where it falls short by an estimate of four characters of text streamed to a token (and, when no input count came
/// at all, four bytes of the request body to a token); such a record says <see cref="UsageSource.Estimated"/>.
/// </remarks>
public sealed class RequestMeter
{
    /// <summary>The response header with Manifold's own time so far, in milliseconds: the total less the upstream's.</summary>
    public const string OverheadHeader = "x-manifold-overhead-ms";

    private const int CharsPerToken = 4;

    private readonly HttpContext _http;
    private readonly UsageQueue _usage;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _upstream;
    private long _client;

    private long _input;
    private long _output;
    private long? _total;
    private long _cacheInput;
    private long _streamedChars;
    private bool _hasUsage;
    private bool _dispatched;
    private bool _settled;
    private bool _abandoned;
    private bool _streamFailed;
    private UsageSource _source;

    internal RequestMeter(HttpContext http, OperationDescriptor operation, UsageQueue usage)
    {
        _http = http;
        _usage = usage;
        Operation = operation;
    }

    public OperationDescriptor Operation { get; }

    public string? Platform { get; private set; }

    public string? Model { get; private set; }

    public string? AccountId { get; private set; }

    public string? ErrorCode { get; private set; }

    public int Images { get; private set; }

    /// <summary>A model's work on a platform: it reached the platform with a model, and is neither a read nor a token count.</summary>
    public bool Billable => _dispatched && Model is not null && Operation.RequestType is not null
        && !Operation.OperationId.StartsWith("count", StringComparison.Ordinal);

    /// <summary>Manifold's own time so far: what has passed less the waits on the upstream and on the client.</summary>
    public double OverheadMs => Milliseconds(Stopwatch.GetTimestamp() - _started - _upstream - _client);

    /// <summary>The platform (and model, as sent to it) the request was routed to; the platform is null while it is not known.</summary>
    public void Route(string? platform, string? model)
    {
        Platform = platform;
        Model = model;
    }

    /// <summary>A timestamp to hand back to <see cref="WaitedOnUpstream"/> or <see cref="WaitedOnClient"/>.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    public void WaitedOnUpstream(long since) => _upstream += Stopwatch.GetTimestamp() - since;

    public void WaitedOnClient(long since) => _client += Stopwatch.GetTimestamp() - since;

    /// <summary>The platform was called, by <paramref name="accountId"/> (the last one tried).</summary>
    public void Dispatched(string? accountId)
    {
        _dispatched = true;
        AccountId = accountId;
    }

    /// <summary>The answer is an error with this code (the first one written is the one the client saw).</summary>
    public void Error(string code) => ErrorCode ??= code;

    /// <summary>The stream ended with an error event after it had started.</summary>
    public void StreamFailed(string code)
    {
        _streamFailed = true;
        ErrorCode ??= code;
    }

    /// <summary>The client left before the end of the stream.</summary>
    public void Abandoned() => _abandoned = true;

    public void ReadAnswer(object answer) => UsageReaders.ReadAnswer(answer, this);

    public void ReadEvent(object streamed) => UsageReaders.ReadEvent(streamed, this);

    internal void Report(long input, long output, long? total)
    {
        _input = input;
        _output = output;
        _total = total;
        _hasUsage = true;
    }

    /// <summary>Usage of one more part of the answer (each image of an image stream reports its own).</summary>
    internal void AddReport(long input, long output, long total)
    {
        if (!_hasUsage)
        {
            Report(input, output, total);
            return;
        }
        Report(_input + input, _output + output, (_total ?? _input + _output) + total);
    }

    /// <summary>Anthropic's message_start: the input (cache reads and writes included) and the first output count.</summary>
    internal void ReportStart(long uncachedInput, long cacheInput, long output)
    {
        _cacheInput = cacheInput;
        Report(uncachedInput + cacheInput, output, null);
    }

    /// <summary>Anthropic's message_delta: cumulative output, and input again when it says so (cache counts kept from the start when it does not).</summary>
    internal void ReportDelta(long? uncachedInput, long? cacheInput, long output)
    {
        if (cacheInput is { } cache)
        {
            _cacheInput = cache;
        }
        Report(uncachedInput is { } input ? input + _cacheInput : _input, output, null);
    }

    internal void Streamed(string? text)
    {
        if (text is not null)
        {
            _streamedChars += text.Length;
        }
    }

    internal void AddImages(int count) => Images += count;

    /// <summary>
    /// Charges the licence's running totals with what the request used, once. Called before a JSON answer is written, so
    /// the next request of the same client already sees it; otherwise when the request ends.
    /// </summary>
    public void Settle(Licence? licence, bool succeeded)
    {
        if (_settled)
        {
            return;
        }
        _settled = true;
        FinishTokens();
        if (licence is not null && Billable)
        {
            _usage.Ledger.Charge(licence, succeeded, _total ?? 0);
        }
    }

    /// <summary>The request ended (<paramref name="threw"/> when by an exception): its record, and the licence charged if not yet.</summary>
    internal UsageRecord Complete(Licence licence, bool threw)
    {
        var response = _http.Response;
        var status = threw ? StatusCodes.Status500InternalServerError
            : _abandoned || (_http.RequestAborted.IsCancellationRequested && !response.HasStarted) ? 499
            : response.StatusCode;
        var failed = _streamFailed || (status >= 400 && status != 499);
        Settle(licence, !failed);
        var elapsed = Stopwatch.GetTimestamp() - _started;
        var latency = Milliseconds(elapsed);
        var billable = Billable;
        if (!billable)
        {
            // A read (a finished image task, say) repeats what its job used: the log must not show it used again.
            (_input, _output, _total, Images, _source) = (0, 0, 0, 0, UsageSource.None);
        }
        return new UsageRecord
        {
            Time = _usage.Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)latency,
            LicenceId = licence.Id,
            Platform = Platform,
            AccountId = AccountId,
            Model = Model,
            Protocol = Operation.Protocol,
            Operation = Operation.OperationId,
            Status = status,
            ErrorCode = threw ? "internal_error" : ErrorCode,
            RequestId = RequestId(response),
            InputTokens = _input,
            OutputTokens = _output,
            TotalTokens = _total ?? 0,
            Images = Images,
            LatencyMs = latency,
            OverheadMs = Math.Max(0, Milliseconds(elapsed - _upstream - _client)),
            Source = _source,
            Billable = billable,
            CountsRequest = billable,
            Failed = failed,
        };
    }

    /// <summary>The final counts: as reported, or for an abandoned stream topped up by the estimate where it falls short.</summary>
    private void FinishTokens()
    {
        _source = _hasUsage ? UsageSource.Reported : UsageSource.None;
        if (_abandoned && Billable)
        {
            var output = (_streamedChars + CharsPerToken - 1) / CharsPerToken;
            var input = _input > 0 ? _input : (_http.Request.ContentLength ?? 0) / CharsPerToken;
            if (output > _output || input > _input)
            {
                _input = input;
                _output = Math.Max(output, _output);
                _total = null;
                _source = UsageSource.Estimated;
            }
        }
        _total ??= _input + _output;
    }

    private string? RequestId(HttpResponse response) =>
        WireProtocols.Get(Operation.Protocol).RequestIdHeader is { } header && response.Headers.TryGetValue(header, out var id) ? id.ToString() : null;

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Writes <see cref="OverheadHeader"/> as the response starts (Response.OnStarting, with the meter as its state).</summary>
    internal static Task WriteOverheadHeader(object state)
    {
        var meter = (RequestMeter)state;
        meter._http.Response.Headers[OverheadHeader] = meter.OverheadMs.ToString("0.##", CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }
}
