using System.Security.Cryptography;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Manifold.Plugins.Tests.Sora;

/// <summary>Measures the whole process's allocations, so nothing else may run meanwhile.</summary>
[CollectionDefinition(nameof(UploadMemoryTests), DisableParallelization = true)]
public sealed class UploadMemoryCollection;

[Collection(nameof(UploadMemoryTests))]
public sealed class UploadMemoryTests
{
    [Fact]
    public async Task A_large_reference_is_streamed_from_disk_not_read_into_memory()
    {
        const int size = 48 * 1024 * 1024;
        string? received = null;
        long receivedLength = 0;
        // A fake that hashes the file part as it arrives (FakeUpstream records whole bodies, which would dwarf what is measured).
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(static k => k.Limits.MaxRequestBodySize = null);
        await using var app = builder.Build();
        app.MapPost("/v1/videos", async (HttpContext http) =>
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (section.AsFileSection() is { } file)
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[81920];
                    receivedLength = 0;
                    int read;
                    while ((read = await file.FileStream!.ReadAsync(buffer)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        receivedLength += read;
                    }
                    received = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
            }
            return Results.Text(SoraPayloads.QueuedVideo, "application/json");
        });
        await app.StartAsync();
        var platform = SoraFakes.Platform(new Uri(app.Urls.Single() + "/v1"));
        var request = JsonSerializer.Deserialize<CreateVideoRequest>("""{"model":"sora-2","prompt":"A long take"}""", ManifoldJson.Options)!;
        var bytes = TempFilePart.RandomBytes(size);
        using var image = new TempFilePart("input_reference", "big.png", "image/png", bytes);
        var expected = SoraFakes.Sha256(bytes);
        bytes = null;
        // Warm up connections, JIT and pools, so that only the upload itself is measured.
        using (var small = new TempFilePart("input_reference", "small.png", "image/png", TempFilePart.RandomBytes(1024)))
        {
            await platform.CreateVideoAsync(request, new FileParts([small.Part]), TestPlatforms.Context(), CancellationToken.None);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await platform.CreateVideoAsync(request, new FileParts([image.Part]), TestPlatforms.Context(), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(expected, received);
        Assert.Equal(size, receivedLength);
        // Client and fake together, in one process: a few buffers, nowhere near the file's size.
        Assert.True(allocated < size / 8, $"Uploading {size} bytes allocated {allocated} bytes.");
    }
}
