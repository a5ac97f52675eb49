using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.OpenAI.Responses;

namespace Manifold.Host.Metering;

/// <summary>
/// Where each protocol's answer says what it used, read into a <see cref="RequestMeter"/>. The counts are the upstream's
/// own, in one meaning whatever the protocol (the conversion hub's, OpenAI's): input includes tokens read from or written
/// to a prompt cache (Anthropic reports those apart), output includes reasoning (Gemini reports its thoughts apart), and
/// total is the upstream's total where it gives one (OpenAI, Gemini), else input + output.
/// </summary>
/// <remarks>
/// Called on every streamed event, so it only reads properties: a few type tests and, for text, string lengths (kept for
/// the estimate of a stream the client abandons before the usage arrives).
/// </remarks>
internal static class UsageReaders
{
    public static void ReadAnswer(object answer, RequestMeter meter)
    {
        switch (answer)
        {
            case CreateChatCompletionResponse { Usage: { } usage }:
                meter.Report(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens);
                break;
            case Response { Usage: { } usage }:
                meter.Report(usage.InputTokens, usage.OutputTokens, usage.TotalTokens);
                break;
            case Message { Usage: { } usage }:
                meter.ReportStart(usage.InputTokens, (usage.CacheCreationInputTokens ?? 0) + (usage.CacheReadInputTokens ?? 0), usage.OutputTokens);
                break;
            case GenerateContentResponse { UsageMetadata: { } usage }:
                ReadGemini(usage, meter);
                break;
            case ImagesResponse images:
                if (images.Usage is { } imageUsage)
                {
                    meter.Report(imageUsage.InputTokens, imageUsage.OutputTokens, imageUsage.TotalTokens);
                }
                // A task object (async, or a read of a job) has no data: its images are metered with the job.
                meter.AddImages(images.Data?.Count ?? 0);
                break;
            case Manifold.Contracts.Gemini.Predict.PredictImagesResponse predicted:
                // Imagen's :predict, made by the Images API underneath: the same usage, kept beside the answer.
                if (predicted.Usage is { } predictedUsage)
                {
                    meter.Report(predictedUsage.InputTokens, predictedUsage.OutputTokens, predictedUsage.TotalTokens);
                }
                meter.AddImages(predicted.Images);
                break;
        }
    }

    public static void ReadEvent(object streamed, RequestMeter meter)
    {
        switch (streamed)
        {
            case CreateChatCompletionStreamResponse chunk:
                if (chunk.Usage is { } usage)
                {
                    meter.Report(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens);
                }
                if (chunk.Choices is { } choices)
                {
                    foreach (var choice in choices)
                    {
                        if (choice.Delta is { } delta)
                        {
                            meter.Streamed(delta.Content);
                            meter.Streamed(delta.ReasoningContent);
                            meter.Streamed(delta.Refusal);
                            if (delta.ToolCalls is { } calls)
                            {
                                foreach (var call in calls)
                                {
                                    meter.Streamed(call.Function?.Arguments);
                                }
                            }
                        }
                    }
                }
                break;
            case MessageStreamEvent { Type: MessageStreamEventTypeValues.MessageStart, Message.Usage: { } start }:
                meter.ReportStart(start.InputTokens, (start.CacheCreationInputTokens ?? 0) + (start.CacheReadInputTokens ?? 0), start.OutputTokens);
                break;
            case MessageStreamEvent { Type: MessageStreamEventTypeValues.MessageDelta, Usage: { } delta }:
                meter.ReportDelta(delta.InputTokens, CacheInput(delta), delta.OutputTokens);
                break;
            case MessageStreamEvent { Delta: { } delta }:
                meter.Streamed(delta.Text);
                meter.Streamed(delta.Thinking);
                meter.Streamed(delta.PartialJson);
                break;
            case ResponseStreamEvent responseEvent:
                if (responseEvent.Response?.Usage is { } responseUsage)
                {
                    meter.Report(responseUsage.InputTokens, responseUsage.OutputTokens, responseUsage.TotalTokens);
                }
                meter.Streamed(responseEvent.Delta);
                break;
            case GenerateContentResponse gemini:
                if (gemini.UsageMetadata is { } metadata)
                {
                    ReadGemini(metadata, meter);
                }
                if (gemini.Candidates is { } candidates)
                {
                    foreach (var candidate in candidates)
                    {
                        if (candidate.Content?.Parts is { } parts)
                        {
                            foreach (var part in parts)
                            {
                                meter.Streamed(part.Text);
                            }
                        }
                    }
                }
                break;
            case ImageGenStreamEvent generated:
                ReadImageEvent(generated.Type == ImageGenStreamEventTypeValues.ImageGenerationCompleted, generated.Usage, meter);
                break;
            case ImageEditStreamEvent edited:
                ReadImageEvent(edited.Type == ImageEditStreamEventTypeValues.ImageEditCompleted, edited.Usage, meter);
                break;
        }
    }

    /// <summary>Gemini: the prompt (cached part included), candidates plus thoughts, and its own total.</summary>
    private static void ReadGemini(UsageMetadata usage, RequestMeter meter) =>
        meter.Report(usage.PromptTokenCount ?? 0, (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0), usage.TotalTokenCount);

    private static long? CacheInput(MessageDeltaUsage delta) =>
        delta.CacheCreationInputTokens is null && delta.CacheReadInputTokens is null
            ? null
            : (delta.CacheCreationInputTokens ?? 0) + (delta.CacheReadInputTokens ?? 0);

    private static void ReadImageEvent(bool completed, ImagesUsage? usage, RequestMeter meter)
    {
        if (!completed)
        {
            return;
        }
        meter.AddImages(1);
        if (usage is not null)
        {
            // Each completed image reports its own usage: a stream of several images adds them up.
            meter.AddReport(usage.InputTokens, usage.OutputTokens, usage.TotalTokens);
        }
    }
}
