using System.Globalization;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// OpenAI's Videos API in Veo's words, and back: the one place the <c>veo</c> kind converts. Tables first, then the code
/// that applies them. Anything Veo cannot do as asked is the caller's 400 naming the field, never a silent change.
/// </summary>
/// <remarks>
/// <para>What each model accepts is Google's "Veo API parameters and specifications" table for the Gemini API:</para>
/// <list type="table">
/// <item><term>Veo 3.x</term><description>(<c>veo-3.0-*</c>, <c>veo-3.1-*</c>, and any Veo model not named <c>veo-2*</c>):
/// <c>durationSeconds</c> 4, 6 or 8 (default 8); <c>resolution</c> 720p (default) or 1080p, 1080p only with 8 seconds;
/// <c>aspectRatio</c> 16:9 (default) or 9:16.</description></item>
/// <item><term>Veo 2</term><description>(<c>veo-2*</c>): <c>durationSeconds</c> 5, 6 or 8 (default 8); 720p only and no
/// <c>resolution</c> parameter at all (Google refuses it); <c>aspectRatio</c> as above.</description></item>
/// </list>
/// </remarks>
internal static class VeoMapping
{
    /// <summary>One OpenAI <c>size</c> and the Veo parameters that make it.</summary>
    public sealed record SizeRow(string Size, string AspectRatio, string Resolution);

    /// <summary>
    /// OpenAI's four sizes. 1792x1024 and 1024x1792 are OpenAI's "large" sizes; Veo's nearest is 1080p in the same
    /// orientation (its files are then 1920x1080 or 1080x1920). The job reports the size as asked.
    /// </summary>
    public static IReadOnlyList<SizeRow> Sizes { get; } =
    [
        new("1280x720", "16:9", "720p"),
        new("720x1280", "9:16", "720p"),
        new("1792x1024", "16:9", "1080p"),
        new("1024x1792", "9:16", "1080p"),
    ];

    /// <summary>What a job without a <c>size</c> gets: Veo's own default (16:9, 720p), reported as OpenAI names it.</summary>
    public const string DefaultSize = "1280x720";

    /// <summary>What a job without <c>seconds</c> gets: Veo's own default length, on every Veo model.</summary>
    public const int DefaultSeconds = 8;

    /// <summary>The one length Veo 3.x makes at 1080p.</summary>
    public const int SecondsAt1080p = 8;

    /// <summary>What one Veo model family accepts.</summary>
    public sealed record ModelRules(string Family, IReadOnlyList<int> Seconds, IReadOnlyList<string> Resolutions, bool SendsResolution);

    public static ModelRules Veo3 { get; } = new("Veo 3", [4, 6, 8], ["720p", "1080p"], SendsResolution: true);

    public static ModelRules Veo2 { get; } = new("Veo 2", [5, 6, 8], ["720p"], SendsResolution: false);

    /// <summary>Veo-specific fields a client may add to OpenAI's request, and the <c>parameters</c> they become.</summary>
    public static IReadOnlyList<(string Field, string Parameter)> Extras { get; } =
    [
        ("negative_prompt", "negativePrompt"),
        ("person_generation", "personGeneration"),
        ("seed", "seed"),
    ];

    /// <summary>The rules of <paramref name="model"/> (an id, no <c>models/</c>); a Veo model not yet known is taken as Veo 3.x, the current family.</summary>
    public static ModelRules RulesOf(string model) => model.StartsWith("veo-2", StringComparison.OrdinalIgnoreCase) ? Veo2 : Veo3;

    /// <summary>The Veo <c>parameters</c> of an OpenAI request, with the size and seconds the job reports.</summary>
    public sealed record Parameters(string? AspectRatio, string? Resolution, int? DurationSeconds, string Size, string Seconds)
    {
        /// <summary>The Veo-specific extras, by Veo's parameter name: a string, or for <c>seed</c> a number.</summary>
        public List<(string Parameter, JsonElement Value)> Extras { get; } = [];
    }

    /// <summary>
    /// <c>size</c> and <c>seconds</c> as Veo parameters. Not given, each is left to Veo's default (16:9 720p, 8 seconds), and
    /// reported as such. A value the model cannot make is a 400 naming the field and listing what it can.
    /// </summary>
    public static Parameters Map(string model, string? size, string? seconds, IReadOnlyDictionary<string, JsonElement>? additional)
    {
        var rules = RulesOf(model);
        string? aspectRatio = null, resolution = null;
        if (size is not null)
        {
            var row = Sizes.FirstOrDefault(r => r.Size == size && rules.Resolutions.Contains(r.Resolution))
                ?? throw Invalid("size", size, Sizes.Where(r => rules.Resolutions.Contains(r.Resolution)).Select(static r => r.Size), model);
            aspectRatio = row.AspectRatio;
            resolution = rules.SendsResolution ? row.Resolution : null;
        }

        int? duration = null;
        if (seconds is not null)
        {
            duration = int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && rules.Seconds.Contains(value)
                ? value
                : throw Invalid("seconds", seconds, rules.Seconds.Select(static s => s.ToString(CultureInfo.InvariantCulture)), model);
        }
        if (resolution == "1080p" && duration is { } asked && asked != SecondsAt1080p)
        {
            throw new UpstreamException(400, "invalid_request_error",
                $"Invalid value: '{seconds}'. {model} makes size '{size}' (1080p) only with seconds '{SecondsAt1080p}'.", "seconds", "invalid_value");
        }

        var parameters = new Parameters(aspectRatio, resolution, duration, size ?? DefaultSize,
            (duration ?? DefaultSeconds).ToString(CultureInfo.InvariantCulture));
        foreach (var (field, value) in additional ?? new Dictionary<string, JsonElement>())
        {
            var extra = Extras.Where(e => e.Field == field).Select(static e => e.Parameter).FirstOrDefault()
                ?? throw new UpstreamException(400, "invalid_request_error",
                    $"Unrecognized request argument supplied: {field}. Besides OpenAI's fields, the Veo platform takes {string.Join(", ", Extras.Select(static e => e.Field))}.",
                    field, "unknown_parameter");
            parameters.Extras.Add((extra, Extra(field, value)));
        }
        return parameters;
    }

    /// <summary>
    /// An extra's value as Veo takes it: text as a string; the seed as an integer in [0, 2^32), from JSON or from a form's
    /// text (multipart sends every field as text).
    /// </summary>
    private static JsonElement Extra(string field, JsonElement value)
    {
        if (field != "seed")
        {
            return value.ValueKind == JsonValueKind.String
                ? value
                : throw new UpstreamException(400, "invalid_request_error", $"Invalid type for '{field}': expected a string.", field, "invalid_type");
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) && seed <= uint.MaxValue
            ? JsonSerializer.SerializeToElement(seed)
            : throw new UpstreamException(400, "invalid_request_error", $"Invalid value for 'seed': expected an integer from 0 to {uint.MaxValue}.", field, "invalid_value");
    }

    private static UpstreamException Invalid(string field, string value, IEnumerable<string> supported, string model) =>
        new(400, "invalid_request_error", $"Invalid value: '{value}'. Supported values for {model} are: {List(supported)}.", field, "invalid_value");

    /// <summary>'a', 'b', and 'c', as OpenAI's messages list values.</summary>
    private static string List(IEnumerable<string> values)
    {
        var quoted = values.Select(static v => $"'{v}'").ToList();
        return quoted.Count switch
        {
            0 => "none",
            1 => quoted[0],
            2 => $"{quoted[0]} and {quoted[1]}",
            _ => string.Join(", ", quoted.Take(quoted.Count - 1)) + ", and " + quoted[^1],
        };
    }

    // ---- Answers: a Veo operation as OpenAI's Video ----

    /// <summary>
    /// A job just submitted: the operation's name is its id (the upstream id the host keeps; it holds slashes, and the host
    /// never routes by it).
    /// </summary>
    public static Video Submitted(string operation, string model, string prompt, Parameters parameters, DateTimeOffset now) => new()
    {
        Id = operation,
        Model = model,
        Status = VideoStatusValues.Queued,
        Progress = 0,
        CreatedAt = now.ToUnixTimeSeconds(),
        Prompt = prompt,
        Size = parameters.Size,
        Seconds = parameters.Seconds,
    };

    /// <summary>The outcome of a finished operation, from what Google answers (<c>GET /v1beta/{name}</c>).</summary>
    public sealed record Outcome(string Status, VideoError? Error, string? VideoUri);

    /// <summary>
    /// Reads an operation: running while <c>done</c> is absent or false; done, it holds <c>error</c> (a google.rpc.Status),
    /// or <c>response.generateVideoResponse</c> with <c>generatedSamples[].video.uri</c>, or, when Veo's safety filters
    /// removed every video, no samples and <c>raiMediaFilteredCount</c> / <c>raiMediaFilteredReasons</c>.
    /// </summary>
    public static Outcome Read(JsonElement operation)
    {
        if (operation.ValueKind != JsonValueKind.Object || !operation.TryGetProperty("done", out var done) || done.ValueKind != JsonValueKind.True)
        {
            return new Outcome(VideoStatusValues.InProgress, null, null);
        }
        if (operation.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            return Failed(StatusOf(error), String(error, "message") ?? "Veo reported the operation as failed.");
        }
        var response = operation.TryGetProperty("response", out var r) && r.TryGetProperty("generateVideoResponse", out var g) && g.ValueKind == JsonValueKind.Object
            ? g : default;
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("generatedSamples", out var samples) && samples.ValueKind == JsonValueKind.Array)
        {
            foreach (var sample in samples.EnumerateArray())
            {
                if (sample.ValueKind == JsonValueKind.Object && sample.TryGetProperty("video", out var video) && String(video, "uri") is { Length: > 0 } uri)
                {
                    return new Outcome(VideoStatusValues.Completed, null, uri);
                }
            }
        }
        if (response.ValueKind == JsonValueKind.Object
            && ((response.TryGetProperty("raiMediaFilteredCount", out var count) && count.TryGetInt32(out var filtered) && filtered > 0)
                || (response.TryGetProperty("raiMediaFilteredReasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array && reasons.GetArrayLength() > 0)))
        {
            var why = response.TryGetProperty("raiMediaFilteredReasons", out var list) && list.ValueKind == JsonValueKind.Array
                ? string.Join(" ", list.EnumerateArray().Where(static e => e.ValueKind == JsonValueKind.String).Select(static e => e.GetString()))
                : "";
            return Failed("content_filtered", why.Length > 0 ? why : "Veo's safety filters blocked the generated video.");
        }
        return Failed("no_video", "Veo finished the operation without a video.");
    }

    /// <summary>
    /// A poll's answer as a Video. Google's operation says neither when it started nor how far it is, and this platform
    /// keeps nothing (so it works after a restart): progress is 0 until done, the times the host's own. Size and seconds
    /// are the host's too (it keeps what the job was asked); here they are left empty.
    /// </summary>
    public static Video Polled(string operation, string model, Outcome outcome) => new()
    {
        Id = operation,
        Model = model,
        Status = outcome.Status,
        Progress = outcome.Status == VideoStatusValues.Completed ? 100 : 0,
        CreatedAt = 0,
        Size = "",
        Seconds = "",
        Error = outcome.Error,
    };

    private static Outcome Failed(string code, string message) => new(VideoStatusValues.Failed, new VideoError { Code = code, Message = message }, null);

    /// <summary>Google's canonical status: the error's <c>status</c> when it has one, else the name of its numeric <c>code</c>.</summary>
    private static string StatusOf(JsonElement error)
    {
        if (String(error, "status") is { Length: > 0 } status)
        {
            return status;
        }
        return GoogleRpcCodes.NameOf(error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number) ? number : -1);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
