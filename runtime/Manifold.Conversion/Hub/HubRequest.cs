using System.Text.Json;

namespace Manifold.Conversion.Hub;

/// <summary>
/// A text-generation request in no protocol's shape: what every inbound protocol decodes into and every
/// platform protocol encodes from. It carries the union of what the four protocols can say; a protocol
/// that cannot express a field it holds rejects it with a <see cref="ConversionException"/> naming the field.
/// </summary>
public sealed class HubRequest
{
    /// <summary>The model sent upstream (suffixes such as <c>-thinking</c> already stripped by the host).</summary>
    public required string Model { get; set; }

    /// <summary>System prompt: OpenAI system/developer messages, Responses <c>instructions</c>, Anthropic <c>system</c>, Gemini <c>systemInstruction</c>. Text parts only.</summary>
    public List<HubPart> System { get; } = [];

    /// <summary>The conversation, oldest first, without the system prompt.</summary>
    public List<HubMessage> Messages { get; } = [];

    public List<HubTool> Tools { get; } = [];

    public HubToolChoice? ToolChoice { get; set; }

    /// <summary>False when the caller asked for at most one tool call per turn.</summary>
    public bool? ParallelToolCalls { get; set; }

    public HubReasoning? Reasoning { get; set; }

    /// <summary>Upper bound on generated tokens (reasoning included, as every platform counts it).</summary>
    public long? MaxOutputTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public long? TopK { get; set; }

    public List<string> StopSequences { get; } = [];

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    public long? Seed { get; set; }

    /// <summary>How many alternative answers (OpenAI <c>n</c>, Gemini <c>candidateCount</c>); only 1 converts everywhere.</summary>
    public long? CandidateCount { get; set; }

    public HubResponseFormat? ResponseFormat { get; set; }

    /// <summary>An end-user id for abuse monitoring (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>).</summary>
    public string? User { get; set; }

    /// <summary>Key/value metadata the caller attached (OpenAI <c>metadata</c>).</summary>
    public Dictionary<string, string>? Metadata { get; set; }

    public bool Stream { get; set; }

    /// <summary>Whether a streamed answer should report usage (Chat Completions asks with <c>stream_options.include_usage</c>; the others always do).</summary>
    public bool StreamUsage { get; set; } = true;

    /// <summary>How the answer is shown to the caller: gateway extras that no upstream sees.</summary>
    public OutputOptions Output { get; set; } = OutputOptions.Default;
}

/// <summary>One turn of the conversation.</summary>
public sealed class HubMessage(HubRole role)
{
    public HubRole Role { get; } = role;

    public List<HubPart> Parts { get; } = [];

    public HubMessage(HubRole role, IEnumerable<HubPart> parts) : this(role) => Parts.AddRange(parts);
}

/// <summary>
/// Who speaks. Tool results travel as <see cref="ToolResultPart"/>s: in a <see cref="Tool"/> message when
/// the source protocol has tool messages (OpenAI), in a <see cref="User"/> message when it does not
/// (Anthropic, Gemini). Encoders accept both.
/// </summary>
public enum HubRole
{
    User,
    Assistant,
    Tool,
}

/// <summary>A function the model may call.</summary>
public sealed record HubTool(string Name, string? Description, JsonElement? Parameters, bool? Strict = null);

public enum HubToolChoiceKind
{
    /// <summary>The model decides.</summary>
    Auto,
    /// <summary>The model must not call tools.</summary>
    None,
    /// <summary>The model must call some tool.</summary>
    Required,
    /// <summary>The model must call <see cref="HubToolChoice.Name"/>.</summary>
    Function,
}

public sealed record HubToolChoice(HubToolChoiceKind Kind, string? Name = null)
{
    public static HubToolChoice Auto { get; } = new(HubToolChoiceKind.Auto);
    public static HubToolChoice None { get; } = new(HubToolChoiceKind.None);
    public static HubToolChoice Required { get; } = new(HubToolChoiceKind.Required);
}

public enum HubResponseFormatKind
{
    Text,
    /// <summary>Any JSON object (OpenAI <c>json_object</c>, Gemini <c>responseMimeType: application/json</c>).</summary>
    JsonObject,
    /// <summary>JSON matching <see cref="HubResponseFormat.Schema"/>.</summary>
    JsonSchema,
}

public sealed record HubResponseFormat(HubResponseFormatKind Kind, string? Name = null, JsonElement? Schema = null, bool? Strict = null);
