using Manifold.Contracts.Anthropic;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Responses;

namespace Manifold.Host.Accounts;

/// <summary>
/// What makes requests one session, so they go to one account and the upstream's prompt cache (which is per account) hits:
/// the <c>session_id</c> header, else OpenAI's <c>prompt_cache_key</c> (Chat and Responses), else Anthropic's
/// <c>metadata.user_id</c>, else OpenAI's <c>user</c>. Hashed with <see cref="StableHash"/>, so every node agrees.
/// </summary>
public static class SessionKeys
{
    public const string Header = "session_id";

    /// <summary>The session's hash, or null for a request that belongs to none.</summary>
    public static ulong? Of(HttpRequest request, object? body)
    {
        if (request.Headers.TryGetValue(Header, out var header) && header.ToString() is { Length: > 0 } id)
        {
            return StableHash.Of(id);
        }
        var key = body switch
        {
            CreateChatCompletionRequest chat => chat.PromptCacheKey ?? chat.User,
            CreateResponseRequest responses => responses.PromptCacheKey ?? responses.User,
            CreateMessageRequest messages => messages.Metadata?.UserId,
            _ => null,
        };
        return string.IsNullOrEmpty(key) ? null : StableHash.Of(key);
    }
}
