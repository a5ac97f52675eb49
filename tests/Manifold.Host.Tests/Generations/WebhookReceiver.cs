using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Generations;

/// <summary>
/// A webhook receiver on a loopback port that keeps every POST it gets (headers and body) and answers each with the
/// status <see cref="Answer"/> picks, and a Standard Webhooks verification written here from the specification, not
/// with Manifold's code: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the secret's base64 after <c>whsec_</c>.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackUpstream _server;

    public ConcurrentQueue<Received> All { get; } = new();

    /// <summary>The status for a delivery, given it and how many came before it; 200 by default.</summary>
    public Func<Received, int, int> Answer { get; set; } = static (_, _) => 200;

    private WebhookReceiver(LoopbackUpstream server) => _server = server;

    public string Url => _server.Root + "/hook?token=abc";

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver? receiver = null;
        var server = await LoopbackUpstream.StartAsync(app => app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var received = new Received(
                http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), http.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync());
            var before = receiver!.All.Count;
            receiver.All.Enqueue(received);
            http.Response.StatusCode = receiver.Answer(received, before);
        }));
        receiver = new WebhookReceiver(server);
        return receiver;
    }

    public async Task<List<Received>> WaitForAsync(Func<IReadOnlyCollection<Received>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!done(All) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        return [.. All];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    internal sealed record Received(string Id, string Timestamp, string Signature, string Authorization, string Body)
    {
        public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;

        /// <summary>Whether any of the signature header's space-separated <c>v1,</c> signatures is this body's under <paramref name="secret"/>.</summary>
        public bool VerifiesWith(string secret)
        {
            Assert.StartsWith("whsec_", secret);
            var key = Convert.FromBase64String(secret["whsec_".Length..]);
            using var hmac = new HMACSHA256(key);
            var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
            return Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
        }
    }
}
