using System.Text;
using Manifold.Contracts.OpenAI.Responses;

namespace Manifold.Conversion.Tests.Responses;

/// <summary>
/// The rules a Responses event stream must keep for the official SDKs to accumulate it (the openai npm SDK's
/// ResponseStream rejects a stream that breaks them): numbered from 0 without gaps; created and in_progress
/// first and one closing event last; output items added at the next free index, one at a time, with ids; every
/// item event naming the open item by index and id; parts and summary parts appended in order; deltas adding up
/// to the done texts; the closing response listing the items as they were done.
/// </summary>
internal static class ResponsesStreamRules
{
    public static void AssertValid(IReadOnlyList<ResponseStreamEvent> events)
    {
        Assert.True(events.Count >= 3, "A stream has at least created, in_progress and a closing event.");
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i, events[i].SequenceNumber);
            Assert.Null(events[i].Validate());
        }
        Assert.Equal("response.created", events[0].Type);
        Assert.Equal("response.in_progress", events[1].Type);
        Assert.Contains(events[^1].Type, new[] { "response.completed", "response.incomplete" });
        var id = events[0].Response!.Id;
        Assert.StartsWith("resp_", id);
        Assert.Equal("in_progress", events[0].Response!.Status);

        var done = new List<ResponseOutputItem>();
        ResponseOutputItem? open = null;
        StringBuilder? text = null;
        var parts = 0;
        var summaries = 0;
        for (var i = 2; i < events.Count - 1; i++)
        {
            var e = events[i];
            var what = $"event {i} ({e.Type})";
            if (e.Type == "response.output_item.added")
            {
                Assert.True(open is null, $"{what}: an item is added while another is open.");
                Assert.Equal(done.Count, e.OutputIndex);
                open = e.Item!;
                Assert.False(string.IsNullOrEmpty(open.Id), $"{what}: items need ids.");
                switch (open.Type)
                {
                    case "message": Assert.Empty(open.Content!); break;
                    case "reasoning": Assert.Empty(open.Summary!); break;
                    case "function_call":
                        Assert.Equal("", open.Arguments);
                        Assert.False(string.IsNullOrEmpty(open.CallId), $"{what}: calls need call ids.");
                        text = new StringBuilder();
                        break;
                    default: Assert.Fail($"{what}: unexpected item type {open.Type}."); break;
                }
                parts = summaries = 0;
                continue;
            }
            Assert.True(open is not null, $"{what}: no item is open.");
            Assert.Equal(done.Count, e.OutputIndex);
            if (e.Type == "response.output_item.done")
            {
                Assert.Equal((open.Id, open.Type, open.CallId), (e.Item!.Id, e.Item.Type, e.Item.CallId));
                if (open.Type == "function_call")
                {
                    Assert.Equal(text!.ToString(), e.Item.Arguments);
                }
                if (open.Type == "message")
                {
                    Assert.Equal(parts, e.Item.Content!.Count);
                }
                done.Add(e.Item);
                open = null;
                continue;
            }
            Assert.Equal(open.Id, e.ItemId);
            switch (e.Type)
            {
                case "response.content_part.added":
                    Assert.Equal("message", open.Type);
                    Assert.Equal(parts, e.ContentIndex);
                    text = new StringBuilder();
                    break;
                case "response.output_text.delta" or "response.refusal.delta":
                    Assert.Equal(parts, e.ContentIndex);
                    Assert.NotNull(e.Delta);
                    text!.Append(e.Delta);
                    break;
                case "response.output_text.done":
                    Assert.Equal(text!.ToString(), e.Text);
                    break;
                case "response.refusal.done":
                    Assert.Equal(text!.ToString(), e.Refusal);
                    break;
                case "response.content_part.done":
                    Assert.Equal(parts++, e.ContentIndex);
                    Assert.Equal(text!.ToString(), e.Part!.Type == "refusal" ? e.Part.Refusal : e.Part.Text);
                    break;
                case "response.reasoning_summary_part.added":
                    Assert.Equal("reasoning", open.Type);
                    Assert.Equal(summaries, e.SummaryIndex);
                    text = new StringBuilder();
                    break;
                case "response.reasoning_summary_text.delta":
                    Assert.Equal(summaries, e.SummaryIndex);
                    text!.Append(e.Delta);
                    break;
                case "response.reasoning_summary_text.done":
                    Assert.Equal(text!.ToString(), e.Text);
                    break;
                case "response.reasoning_summary_part.done":
                    Assert.Equal(summaries++, e.SummaryIndex);
                    Assert.Equal(text!.ToString(), e.Part!.Text);
                    break;
                case "response.function_call_arguments.delta":
                    Assert.Equal("function_call", open.Type);
                    text!.Append(e.Delta);
                    break;
                case "response.function_call_arguments.done":
                    Assert.Equal(text!.ToString(), e.Arguments);
                    break;
                default:
                    Assert.Fail($"{what}: unexpected event.");
                    break;
            }
        }
        Assert.True(open is null, "The stream closed with an item still open.");
        var final = events[^1].Response!;
        Assert.Equal(id, final.Id);
        Assert.Equal(done.Select(static i => (i.Id, i.Type)), final.Output.Select(static i => (i.Id, i.Type)));
        Assert.Equal(events[^1].Type == "response.incomplete" ? "incomplete" : "completed", final.Status);
    }
}
