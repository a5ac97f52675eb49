using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Messages;

/// <summary>
/// <c>close_reasoning_content</c> on answers passed through from an Anthropic platform: thinking and
/// redacted_thinking blocks go, signatures with them (a client that sees no reasoning has nothing to send back).
/// <para>
/// In a stream, dropping a block leaves a hole in the block indexes, which clients use to address blocks, so
/// the blocks after it are renumbered. That needs to remember which blocks were dropped, so an instance filters
/// one stream (<see cref="MessagesProtocol.CreateChunkFilter"/> makes one per stream).
/// </para>
/// </summary>
internal sealed class MessagesReasoningFilter
{
    private readonly HashSet<long> _dropped = [];

    public static Message Strip(Message message)
    {
        message.Content?.RemoveAll(static b => IsReasoning(b?.Type));
        return message;
    }

    /// <summary>The chunk with reasoning removed and block indexes renumbered; null when nothing is left to send.</summary>
    public MessageStreamEvent? Strip(MessageStreamEvent chunk)
    {
        if (chunk.Index is not { } index || chunk.Type is not ("content_block_start" or "content_block_delta" or "content_block_stop"))
        {
            return chunk;
        }
        if (chunk.Type == "content_block_start" && IsReasoning(chunk.ContentBlock?.Type))
        {
            _dropped.Add(index);
            return null;
        }
        if (_dropped.Contains(index))
        {
            return null;
        }
        chunk.Index = index - _dropped.Count(d => d < index);
        return chunk;
    }

    private static bool IsReasoning(string? type) => type is "thinking" or "redacted_thinking";
}
