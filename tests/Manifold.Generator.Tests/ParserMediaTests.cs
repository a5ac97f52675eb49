using Manifold.Generator.Model;
using Manifold.Generator.Tests.Infrastructure;
using static Manifold.Generator.Tests.DiagnosticsTests;
using static Manifold.Generator.Tests.Infrastructure.SpecParsing;

namespace Manifold.Generator.Tests;

/// <summary>Parameter sources beyond JSON (forms and their files) and response kinds beyond JSON (bytes, other 2xx).</summary>
public sealed class ParserMediaTests
{
    [Fact]
    public void A_form_body_names_its_file_parts_and_keeps_them_out_of_the_dto()
    {
        var spec = ParseClean(TestSpecs.Media);

        var create = Operation(spec, "createClip");
        Assert.True(create.AcceptsForm);
        Assert.Equal([new FilePartSpec("reference", Multiple: false), new FilePartSpec("frames", Multiple: true)], create.Files);
        Assert.Equal("CreateClipRequest", create.RequestType);
        Assert.Equal(201, create.SuccessStatus);
        // The form schema's DTO (generated because it is a component) has no file properties; a oneOf with bytes is its other case.
        var form = Schema(spec, "CreateClipForm");
        Assert.DoesNotContain(form.Properties, static p => p.JsonName == "frames");
        Assert.Equal(TypeKind.Named, Property(form, "reference").Type.Kind);
    }

    [Fact]
    public void A_binary_response_has_no_json_type_and_delete_is_an_operation_like_any_other()
    {
        var spec = ParseClean(TestSpecs.Media);

        var content = Operation(spec, "getClipContent");
        var delete = Operation(spec, "deleteClip");

        Assert.True(content.BinaryResponse);
        Assert.Null(content.ResponseType);
        Assert.Equal(("DELETE", false, 200), (delete.HttpMethod, delete.BinaryResponse, delete.SuccessStatus));
    }

    [Fact]
    public void MF0005_a_request_media_type_the_generator_would_ignore_is_reported_not_dropped()
    {
        var yaml = TestSpecs.Media.Replace("multipart/form-data:", "application/x-www-form-urlencoded:", StringComparison.Ordinal);

        var diagnostic = SingleDiagnostic(yaml);

        Assert.Equal("MF0005", diagnostic.Id);
        Assert.Contains("requestBody content type 'application/x-www-form-urlencoded' is not supported", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void MF0005_bytes_cannot_also_be_json()
    {
        const string Bytes = "schema: { type: string, format: binary }";
        var line = TestSpecs.Media.Split('\n').Single(static l => l.TrimStart().StartsWith(Bytes, StringComparison.Ordinal));
        var indent = line[..line.IndexOf('s', StringComparison.Ordinal)];
        var yaml = TestSpecs.Media.Replace(
            line,
            $"{line}\n{indent[..^2]}application/json:\n{indent}schema: {{ $ref: '#/components/schemas/Clip' }}",
            StringComparison.Ordinal);

        var diagnostic = SingleDiagnostic(yaml);

        Assert.Contains("getClipContent: a binary response cannot also be JSON or a stream", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_id_in_the_path_routes_by_task_and_a_list_of_jobs_by_the_task_store()
    {
        var spec = ParseClean(File.ReadAllText(Path.Combine(GeneratorDriverHelper.RepoRoot, "specs", "openai", "videos.yaml")));

        Assert.Equal(new RouteBySpec(RouteByKind.Body, "Model"), Operation(spec, "createVideo").RouteBy);
        Assert.Equal(new RouteBySpec(RouteByKind.Tasks, null), Operation(spec, "listVideos").RouteBy);
        foreach (var id in new[] { "retrieveVideo", "deleteVideo", "retrieveVideoContent", "remixVideo" })
        {
            Assert.Equal(new RouteBySpec(RouteByKind.Task, "video_id"), Operation(spec, id).RouteBy);
        }
        Assert.Equal([new FilePartSpec("input_reference", Multiple: false)], Operation(spec, "createVideo").Files);
        Assert.True(Operation(spec, "retrieveVideoContent").BinaryResponse);
    }

    [Fact]
    public void MF0005_route_by_task_must_name_a_path_parameter()
    {
        const string RouteByPath = "x-manifold-route-by: { path: clip_id }";
        var first = TestSpecs.Media.IndexOf(RouteByPath, StringComparison.Ordinal);
        var yaml = string.Concat(TestSpecs.Media.AsSpan(0, first), "x-manifold-route-by: { task: job_id }", TestSpecs.Media.AsSpan(first + RouteByPath.Length));

        var diagnostic = SingleDiagnostic(yaml);

        Assert.Contains("{ task: <path parameter> }", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static string ImagesSpec => File.ReadAllText(Path.Combine(GeneratorDriverHelper.RepoRoot, "specs", "openai", "images.yaml"));

    [Fact]
    public void A_query_parameter_with_x_manifold_body_sets_that_body_property_and_is_not_an_adapter_argument()
    {
        var spec = ParseClean(ImagesSpec);

        foreach (var id in new[] { "createImage", "createImageEdit" })
        {
            var parameter = Assert.Single(Operation(spec, id).QueryParameters);
            Assert.Equal(("async", TypeKind.Boolean, "Async"), (parameter.Name, parameter.Type, parameter.BodyProperty));
        }
    }

    [Fact]
    public void An_operation_served_by_tasks_is_routed_by_a_job_and_marked_for_a_default_adapter_body()
    {
        var spec = ParseClean(ImagesSpec);

        var retrieve = Operation(spec, "retrieveImageTask");

        Assert.True(retrieve.ServedByTasks);
        Assert.Equal(new RouteBySpec(RouteByKind.Task, "task_id"), retrieve.RouteBy);
        Assert.False(Operation(spec, "createImage").ServedByTasks);
    }

    [Theory]
    [InlineData("x-manifold-body: async", "x-manifold-body: asynchronously", "the query parameter 'async' has 'x-manifold-body: asynchronously'")]
    [InlineData("schema: { type: boolean }\n          x-manifold-body: async", "schema: { type: string }\n          x-manifold-body: async", "needs an optional parameter without a default and a request body property 'async' of the same type")]
    [InlineData("x-manifold-served-by: tasks", "x-manifold-served-by: everyone", "'x-manifold-served-by' can only be 'tasks'")]
    public void MF0005_a_misused_body_parameter_or_served_by_is_reported(string from, string to, string message)
    {
        var yaml = ReplaceFirst(ImagesSpec, from, to);

        var diagnostic = SingleDiagnostic(yaml);

        Assert.Equal("MF0005", diagnostic.Id);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void MF0005_served_by_tasks_needs_an_operation_routed_by_a_job()
    {
        var yaml = ReplaceFirst(ImagesSpec, "      x-manifold-stream: { when: stream }\n      x-manifold-route-by: { body: model }",
            "      x-manifold-stream: { when: stream }\n      x-manifold-route-by: { body: model }\n      x-manifold-served-by: tasks");

        var diagnostic = SingleDiagnostic(yaml);

        Assert.Contains("createImage: 'x-manifold-served-by' can only be 'tasks', on an operation with 'x-manifold-route-by: { task: <path parameter> }'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in the spec");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
