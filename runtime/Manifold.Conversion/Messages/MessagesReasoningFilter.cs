using System.Runtime.CompilerServices;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Messages;

/// <summary>
/// <c>close_reasoning_content</c> on answers passed through from an Anthropic platform: thinking and
/// redacted_thinking blocks go, signatures with them (a client that sees no reasoning has nothing to send back).
/// <para>
/// In a stream, dropping a block leaves a hole in the block indexes, which clients use to address blocks, so
/// the blocks after it are renumbered. That needs to remember, per stream, which blocks were dropped; the host
/// filters one stream's chunks in order with the <see cref="OutputOptions"/> instance
/// <see cref="MessagesProtocol.Prepare"/> returned for that request (a fresh instance whenever reasoning is
/// suppressed), so the state is attached to that instance and goes when the request does.
/// </para>
/// </summary>
internal static class MessagesReasoningFilter
{
    private static readonly ConditionalWeakTable<OutputOptions, StreamState> Streams = new();

    public static Message Strip(Message message)
    {
        message.Content?.RemoveAll(static b => IsReasoning(b?.Type));
        return message;
    }

    /// <summary>The chunk with reasoning removed and block indexes renumbered; null when nothing is left to send.</summary>
    public static MessageStreamEvent? Strip(MessageStreamEvent chunk, OutputOptions output)
    {
        if (chunk.Index is not { } index || chunk.Type is not ("content_block_start" or "content_block_delta" or "content_block_stop"))
        {
            return chunk;
        }
        var state = Streams.GetOrCreateValue(output);
        if (chunk.Type == "content_block_start" && IsReasoning(chunk.ContentBlock?.Type))
        {
            state.Dropped.Add(index);
            return null;
        }
        if (state.Dropped.Contains(index))
        {
            return null;
        }
        chunk.Index = index - state.Dropped.Count(d => d < index);
        return chunk;
    }

    private static bool IsReasoning(string? type) => type is "thinking" or "redacted_thinking";

    private sealed class StreamState
    {
        public HashSet<long> Dropped { get; } = [];
    }
}
