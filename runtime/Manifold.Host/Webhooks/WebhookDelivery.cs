using System.Text.Json.Serialization;

namespace Manifold.Host.Webhooks;

/// <summary>
/// One event for one webhook URL, as a row of the <c>webhook_deliveries</c> outbox: written when the event happens, so a
/// restart loses nothing, and updated by each attempt. <see cref="Id"/> is the Standard Webhooks message id
/// (<c>webhook-id</c>), the same on every retry, so a receiver can drop duplicates.
/// </summary>
public sealed record WebhookDelivery
{
    public required string Id { get; init; }

    public string? TaskId { get; init; }

    /// <summary><c>task.succeeded</c>, <c>task.failed</c> or <c>task.progress</c>.</summary>
    public required string Event { get; init; }

    public required string Url { get; init; }

    /// <summary>The exact bytes signed and sent (UTF-8 JSON), the same on every attempt.</summary>
    public required string Body { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When to try next; null once delivered or given up.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public int Attempts { get; init; }

    /// <summary>The receiver's last HTTP status; null when it could not be reached.</summary>
    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }
}

/// <summary>A delivery as a task's <c>detail.webhooks</c> and the admin API show it: no body, and the URL only up to its path.</summary>
public sealed record WebhookDeliveryView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("last_status")] int? LastStatus,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("delivered_at")] long? DeliveredAt,
    [property: JsonPropertyName("next_attempt_at")] long? NextAttemptAt)
{
    public static WebhookDeliveryView From(WebhookDelivery delivery) => new(
        delivery.Id, delivery.Event, Where(delivery.Url), delivery.Attempts, delivery.LastStatus, delivery.LastError,
        delivery.CreatedAt.ToUnixTimeSeconds(), delivery.DeliveredAt?.ToUnixTimeSeconds(), delivery.NextAttemptAt?.ToUnixTimeSeconds());

    /// <summary>A webhook URL may carry a token in its query: only where it points is shown or logged.</summary>
    public static string Where(string url) => Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed.GetLeftPart(UriPartial.Path) : "?";
}
