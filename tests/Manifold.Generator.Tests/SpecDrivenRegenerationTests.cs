using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Generator.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Manifold.Generator.Tests;

/// <summary>
/// The promise of specs/: add a field to the real chat spec, rebuild, and the field is a typed DTO property
/// that an adapter sends upstream, with no hand-written code touched.
/// </summary>
public sealed class SpecDrivenRegenerationTests
{
    private const string ChatSpec = "openai/chat-completions.yaml";
    private const string ModelsFile = "openai.chat-completions.Models.g.cs";

    /// <summary>A minimal adapter, as a plugin would write it: serialize the typed request and post it upstream.</summary>
    private const string ProbeAdapterSource = """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Text;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using Manifold.Contracts;

        namespace Manifold.Contracts.OpenAI.Probe;

        public sealed class ProbeAdapter(HttpClient http, Uri upstream) : IChatCompletionsAdapter
        {
            public async Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
                CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
            {
                using var content = new StringContent(JsonSerializer.Serialize(request, ManifoldJson.Options), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri(upstream, "v1/chat/completions"), content, cancellationToken);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                return (await JsonSerializer.DeserializeAsync<CreateChatCompletionResponse>(body, ManifoldJson.Options, cancellationToken))!;
            }

            public IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
                CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken) =>
                throw new NotSupportedException();
        }
        """;

    private const string UpstreamAnswer = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"logprobs":null,"finish_reason":"stop"}]}
        """;

    /// <summary>The real spec with one more optional property on the request.</summary>
    private static string SpecWithProbe()
    {
        var spec = GeneratorDriverHelper.ReadSpec(ChatSpec);
        var request = spec.IndexOf("\n    CreateChatCompletionRequest:\n", StringComparison.Ordinal);
        Assert.True(request >= 0, "CreateChatCompletionRequest is not in the chat spec");
        const string Properties = "\n      properties:\n";
        var properties = spec.IndexOf(Properties, request, StringComparison.Ordinal);
        Assert.True(properties >= 0);
        return spec.Insert(properties + Properties.Length, "        manifold_probe: { type: string, description: Added by a test. }\n");
    }

    private static GeneratorRun Generate(string spec) =>
        GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (GeneratorDriverHelper.SpecPath(ChatSpec), spec)).AssertClean();

    [Fact]
    public void A_property_added_to_the_spec_appears_on_the_dto()
    {
        var before = Generate(GeneratorDriverHelper.ReadSpec(ChatSpec)).Source(ModelsFile);
        var after = Generate(SpecWithProbe()).Source(ModelsFile);

        Assert.DoesNotContain("manifold_probe", before, StringComparison.Ordinal);
        Assert.DoesNotContain("ManifoldProbe", before, StringComparison.Ordinal);
        Assert.Contains(
            """
                    /// <summary>
                    /// Added by a test.
                    /// </summary>
                    [global::System.Text.Json.Serialization.JsonPropertyName("manifold_probe")]
                    public string? ManifoldProbe { get; set; }
            """,
            after,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_property_added_to_the_spec_reaches_the_upstream_typed()
    {
        var assembly = GeneratorDriverHelper.CompileAndLoad(
            "Manifold.Generated.Probe",
            Generate(SpecWithProbe()).Trees.Append(GeneratorDriverHelper.ParseSource(ProbeAdapterSource, "ProbeAdapter.cs")));

        var captured = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await StartUpstreamAsync(captured);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        // Build the request as the host would (deserialized from the client's JSON), then set the new property.
        var requestType = assembly.GetType("Manifold.Contracts.OpenAI.CreateChatCompletionRequest", throwOnError: true)!;
        var request = JsonSerializer.Deserialize(
            """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", requestType, ManifoldJson.Options)!;
        var probe = requestType.GetProperty("ManifoldProbe")!;
        Assert.Equal(typeof(string), probe.PropertyType);
        probe.SetValue(request, "probe-value-42");

        var adapterType = assembly.GetType("Manifold.Contracts.OpenAI.Probe.ProbeAdapter", throwOnError: true)!;
        var adapter = Activator.CreateInstance(adapterType, http, new Uri(upstream.BaseUrl))!;
        var call = (Task)adapterType.GetMethod("CreateChatCompletionAsync")!.Invoke(
            adapter, [request, new AdapterContext("probe", null, "req-1"), CancellationToken.None])!;
        await call.WaitAsync(TimeSpan.FromSeconds(10));

        var sent = JsonNode.Parse(await captured.Task.WaitAsync(TimeSpan.FromSeconds(10)))!.AsObject();
        Assert.Equal("probe-value-42", sent["manifold_probe"]!.GetValue<string>());
        Assert.Equal("gpt-4o-mini", sent["model"]!.GetValue<string>());
        // It went as the typed property, not as a leftover in AdditionalProperties.
        Assert.Null(requestType.GetProperty("AdditionalProperties")!.GetValue(request));

        // And the typed answer came back.
        var result = call.GetType().GetProperty("Result")!.GetValue(call)!;
        Assert.Equal("chatcmpl-1", result.GetType().GetProperty("Id")!.GetValue(result));
    }

    /// <summary>A loopback Kestrel that records the body of the first chat completion it receives.</summary>
    private static async Task<Upstream> StartUpstreamAsync(TaskCompletionSource<string> captured)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            captured.TrySetResult(await reader.ReadToEndAsync(context.RequestAborted));
            return Results.Text(UpstreamAnswer, "application/json", statusCode: (int)HttpStatusCode.OK);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Upstream(app, address.TrimEnd('/') + "/");
    }

    private sealed record Upstream(WebApplication App, string BaseUrl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
