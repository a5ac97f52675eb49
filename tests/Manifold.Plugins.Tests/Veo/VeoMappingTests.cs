using System.Text.Json;
using Manifold.Contracts;
using Manifold.Plugins.Gemini;

namespace Manifold.Plugins.Tests.Veo;

/// <summary>The conversion table, row by row: OpenAI's size and seconds as Veo's parameters, and what Veo cannot make.</summary>
public sealed class VeoMappingTests
{
    [Theory]
    // model, size, seconds → aspectRatio, resolution, durationSeconds, reported size, reported seconds
    [InlineData("veo-3.1-generate-preview", null, null, null, null, null, "1280x720", "8")]
    [InlineData("veo-3.1-generate-preview", "1280x720", "4", "16:9", "720p", 4, "1280x720", "4")]
    [InlineData("veo-3.1-generate-preview", "720x1280", "8", "9:16", "720p", 8, "720x1280", "8")]
    [InlineData("veo-3.1-generate-preview", "720x1280", "6", "9:16", "720p", 6, "720x1280", "6")]
    [InlineData("veo-3.1-generate-preview", "1792x1024", "8", "16:9", "1080p", 8, "1792x1024", "8")]
    [InlineData("veo-3.1-generate-preview", "1024x1792", null, "9:16", "1080p", null, "1024x1792", "8")]
    [InlineData("veo-3.1-fast-generate-preview", "1280x720", null, "16:9", "720p", null, "1280x720", "8")]
    [InlineData("veo-3.0-generate-001", "1792x1024", "8", "16:9", "1080p", 8, "1792x1024", "8")]
    [InlineData("veo-3.0-fast-generate-001", null, "4", null, null, 4, "1280x720", "4")]
    // Veo 2: 720p only, and no resolution parameter at all; 5, 6 or 8 seconds.
    [InlineData("veo-2.0-generate-001", "1280x720", "8", "16:9", null, 8, "1280x720", "8")]
    [InlineData("veo-2.0-generate-001", "720x1280", "5", "9:16", null, 5, "720x1280", "5")]
    [InlineData("veo-2.0-generate-001", null, null, null, null, null, "1280x720", "8")]
    public void Maps_size_and_seconds(string model, string? size, string? seconds, string? aspectRatio, string? resolution, int? duration, string reportedSize, string reportedSeconds)
    {
        var mapped = VeoMapping.Map(model, size, seconds, null);

        Assert.Equal((aspectRatio, resolution, duration), (mapped.AspectRatio, mapped.Resolution, mapped.DurationSeconds));
        Assert.Equal((reportedSize, reportedSeconds), (mapped.Size, mapped.Seconds));
        Assert.Empty(mapped.Extras);
    }

    [Theory]
    [InlineData("veo-3.1-generate-preview", "1280x720", "12", "seconds", "Invalid value: '12'. Supported values for veo-3.1-generate-preview are: '4', '6', and '8'.")]
    [InlineData("veo-3.1-generate-preview", "1280x720", "5", "seconds", "Invalid value: '5'. Supported values for veo-3.1-generate-preview are: '4', '6', and '8'.")]
    [InlineData("veo-3.1-generate-preview", "1280x720", "four", "seconds", "Invalid value: 'four'. Supported values for veo-3.1-generate-preview are: '4', '6', and '8'.")]
    [InlineData("veo-2.0-generate-001", "1280x720", "4", "seconds", "Invalid value: '4'. Supported values for veo-2.0-generate-001 are: '5', '6', and '8'.")]
    [InlineData("veo-2.0-generate-001", "1280x720", "12", "seconds", "Invalid value: '12'. Supported values for veo-2.0-generate-001 are: '5', '6', and '8'.")]
    [InlineData("veo-3.1-generate-preview", "640x480", "4", "size", "Invalid value: '640x480'. Supported values for veo-3.1-generate-preview are: '1280x720', '720x1280', '1792x1024', and '1024x1792'.")]
    [InlineData("veo-2.0-generate-001", "1792x1024", "8", "size", "Invalid value: '1792x1024'. Supported values for veo-2.0-generate-001 are: '1280x720' and '720x1280'.")]
    [InlineData("veo-3.1-generate-preview", "1792x1024", "4", "seconds", "Invalid value: '4'. veo-3.1-generate-preview makes size '1792x1024' (1080p) only with seconds '8'.")]
    [InlineData("veo-3.0-generate-001", "1024x1792", "6", "seconds", "Invalid value: '6'. veo-3.0-generate-001 makes size '1024x1792' (1080p) only with seconds '8'.")]
    public void What_the_model_cannot_make_is_a_400_naming_the_field(string model, string size, string seconds, string param, string message)
    {
        var error = Assert.Throws<UpstreamException>(() => VeoMapping.Map(model, size, seconds, null));

        Assert.Equal((400, "invalid_request_error", param, "invalid_value"), (error.StatusCode, error.Type, error.Param, error.Code));
        Assert.Equal(message, error.Message);
        Assert.False(error.Retryable);
    }

    [Fact]
    public void Veo_extras_become_parameters_and_a_form_seed_is_a_number()
    {
        var extras = new Dictionary<string, JsonElement>
        {
            ["negative_prompt"] = JsonSerializer.SerializeToElement("cartoon, low quality"),
            ["person_generation"] = JsonSerializer.SerializeToElement("allow_all"),
            ["seed"] = JsonSerializer.SerializeToElement("42"),
        };

        var mapped = VeoMapping.Map("veo-3.1-generate-preview", null, null, extras);

        Assert.Equal(
            ["negativePrompt=\"cartoon, low quality\"", "personGeneration=\"allow_all\"", "seed=42"],
            mapped.Extras.Select(static e => e.Parameter + "=" + e.Value.GetRawText()));
    }

    [Theory]
    [InlineData("quality", "\"high\"", "quality", "unknown_parameter")]
    [InlineData("negative_prompt", "3", "negative_prompt", "invalid_type")]
    [InlineData("seed", "-1", "seed", "invalid_value")]
    [InlineData("seed", "\"4294967296\"", "seed", "invalid_value")]
    public void An_extra_veo_does_not_take_is_a_400_naming_it(string field, string json, string param, string code)
    {
        var extras = new Dictionary<string, JsonElement> { [field] = JsonDocument.Parse(json).RootElement.Clone() };

        var error = Assert.Throws<UpstreamException>(() => VeoMapping.Map("veo-3.1-generate-preview", null, null, extras));

        Assert.Equal((400, param, code), (error.StatusCode, error.Param, error.Code));
    }

    [Theory]
    [InlineData("veo-2.0-generate-001", "Veo 2")]
    [InlineData("veo-3.0-generate-001", "Veo 3")]
    [InlineData("veo-3.1-lite-generate-preview", "Veo 3")]
    [InlineData("veo-4-preview", "Veo 3")]
    public void Models_are_known_by_family(string model, string family) => Assert.Equal(family, VeoMapping.RulesOf(model).Family);
}
