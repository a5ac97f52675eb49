using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using Manifold.Generator.Tests.Infrastructure;
using Parser = Manifold.Generator.ManifoldGenerator.Parser;

namespace Manifold.Generator.Tests;

/// <summary>The YAML-to-model step: what each construct of specs/README.md becomes in <see cref="ApiSpec"/>.</summary>
public sealed class ParserTests
{
    private const string Header = """
        openapi: 3.1.0
        info: { title: Parser test, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Parsing, protocol: openai, adapter: Things }

        """;

    /// <summary>A spec with <paramref name="schemas"/> under components.schemas (indented by 4) and no operations.</summary>
    private static ApiSpec ParseSchemas(string schemas) =>
        ParseClean(Header + "paths: {}\ncomponents:\n  schemas:\n" + schemas);

    private static ApiSpec ParseClean(string yaml)
    {
        var result = Parser.Parse("/repo/specs/test/things.yaml", yaml, CancellationToken.None);
        Assert.Empty(result.Diagnostics.Select(static d => $"{d.Id} at {d.LineSpan.Start}: {d.MessageArgs[0]}"));
        return Assert.IsType<ApiSpec>(result.Spec);
    }

    private static SchemaSpec Schema(ApiSpec spec, string name) =>
        spec.Schemas.SingleOrDefault(s => s.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No schema '{name}'; have {string.Join(", ", spec.Schemas.Select(static s => s.Name))}");

    private static PropertySpec Property(SchemaSpec schema, string jsonName) =>
        schema.Properties.SingleOrDefault(p => p.JsonName == jsonName)
        ?? throw new Xunit.Sdk.XunitException($"No property '{jsonName}' in '{schema.Name}'");

    [Fact]
    public void Header_gives_namespace_protocol_adapter_and_a_short_file_name()
    {
        var spec = ParseSchemas("    Empty: { type: object, properties: { a: { type: string } } }\n");

        Assert.Equal("Manifold.Tests.Parsing", spec.Namespace);
        Assert.Equal("openai", spec.Protocol);
        Assert.Equal("Things", spec.Adapter);
        Assert.Equal("IThingsAdapter", spec.InterfaceName);
        Assert.Equal("Parser test", spec.Title);
        Assert.Equal("test/things.yaml", spec.FileName);
    }

    [Fact]
    public void Object_properties_carry_required_nullable_const_and_enum()
    {
        var spec = ParseSchemas("""
                Widget:
                  type: object
                  description: A widget.
                  required: [id, object, finish_reason, count]
                  properties:
                    id: { type: string, description: The id. }
                    object: { type: string, const: widget }
                    finish_reason: { type: [string, "null"], enum: [stop, length] }
                    count: { type: integer }
                    ratio: { type: number }
                    enabled: { type: boolean }
                    note: { type: string, nullable: true }
            """);

        var widget = Schema(spec, "Widget");
        Assert.Equal(SchemaKind.Object, widget.Kind);
        Assert.Equal("A widget.", widget.Description);
        Assert.Equal(["id", "object", "finish_reason", "count", "ratio", "enabled", "note"], widget.Properties.Select(static p => p.JsonName));

        Assert.Equal(new PropertySpec("id", "Id", TypeRef.String, Required: true, WriteNull: false, null, null, "The id."), Property(widget, "id"));
        Assert.Equal(new PropertySpec("object", "Object", TypeRef.String, Required: true, WriteNull: false, "widget", null, null), Property(widget, "object"));

        // Required but nullable: not validated, but always written, even as null.
        var finishReason = Property(widget, "finish_reason");
        Assert.Equal(("FinishReason", TypeRef.String, false, true), (finishReason.ClrName, finishReason.Type, finishReason.Required, finishReason.WriteNull));
        Assert.Equal("WidgetFinishReasonValues", finishReason.EnumClass);
        var values = Assert.Single(spec.Enums);
        Assert.Equal("WidgetFinishReasonValues", values.ClassName);
        Assert.Equal(["stop", "length"], values.Values);

        Assert.Equal((TypeRef.Integer, true), (Property(widget, "count").Type, Property(widget, "count").Required));
        Assert.Equal((TypeRef.Number, false), (Property(widget, "ratio").Type, Property(widget, "ratio").Required));
        Assert.Equal(TypeRef.Boolean, Property(widget, "enabled").Type);
        Assert.Equal((false, false), (Property(widget, "note").Required, Property(widget, "note").WriteNull));

        // Optional and nullable: a null is written only when it was assigned (a relayed upstream null, or an encoder's).
        Assert.True(Property(widget, "note").KeepAssignedNull);
        Assert.False(Property(widget, "finish_reason").KeepAssignedNull);
        Assert.False(Property(widget, "ratio").KeepAssignedNull);
        Assert.False(Property(widget, "count").KeepAssignedNull);
    }

    [Fact]
    public void Ref_names_the_class_and_a_referenced_enum_shares_one_constants_class()
    {
        var spec = ParseSchemas("""
                Order:
                  type: object
                  required: [item]
                  properties:
                    item: { $ref: '#/components/schemas/Item' }
                    status: { $ref: '#/components/schemas/Status' }
                    previous_status: { $ref: '#/components/schemas/Status' }
                Item:
                  type: object
                  properties:
                    parent: { $ref: '#/components/schemas/Item' }
                Status:
                  type: string
                  description: Where an order is.
                  enum: [open, closed]
            """);

        var order = Schema(spec, "Order");
        Assert.Equal(new TypeRef(TypeKind.Named, "Item"), Property(order, "item").Type);
        Assert.True(Property(order, "item").Required);
        // A class may refer to itself.
        Assert.Equal(new TypeRef(TypeKind.Named, "Item"), Property(Schema(spec, "Item"), "parent").Type);

        Assert.Equal(TypeRef.String, Property(order, "status").Type);
        Assert.Equal("StatusValues", Property(order, "status").EnumClass);
        Assert.Equal("StatusValues", Property(order, "previous_status").EnumClass);
        var status = Assert.Single(spec.Enums);
        Assert.Equal(new EnumSpec("StatusValues", "Where an order is.", new[] { "open", "closed" }.ToEquatableArray()), status);
        Assert.DoesNotContain(spec.Schemas, static s => s.Name == "Status");
    }

    [Fact]
    public void Arrays_are_lists_and_inline_item_objects_get_a_singular_name()
    {
        var spec = ParseSchemas("""
                Response:
                  type: object
                  properties:
                    choices:
                      type: array
                      items: { type: object, properties: { index: { type: integer } } }
                    entries:
                      type: array
                      items: { type: object, properties: { key: { type: string } } }
                    data:
                      type: array
                      items: { type: object, properties: { id: { type: string } } }
                    named:
                      type: array
                      x-manifold-type-name: Special
                      items: { type: object, properties: { id: { type: string } } }
                    tags: { type: array, items: { type: string, enum: [a, b] } }
                    anything: { type: array }
                    matrix: { type: array, items: { type: array, items: { type: number } } }
            """);

        var response = Schema(spec, "Response");
        TypeRef ListOf(TypeRef item) => new(TypeKind.Array, Item: item);
        TypeRef Named(string name) => new(TypeKind.Named, name);

        Assert.Equal(ListOf(Named("ResponseChoice")), Property(response, "choices").Type);
        Assert.Equal(ListOf(Named("ResponseEntry")), Property(response, "entries").Type);
        Assert.Equal(ListOf(Named("ResponseDataItem")), Property(response, "data").Type);
        Assert.Equal(ListOf(Named("Special")), Property(response, "named").Type);
        Assert.Equal(ListOf(TypeRef.String), Property(response, "tags").Type);
        Assert.Equal("ResponseTagsValues", Property(response, "tags").EnumClass);
        Assert.Equal(ListOf(TypeRef.Json), Property(response, "anything").Type);
        Assert.Equal(ListOf(ListOf(TypeRef.Number)), Property(response, "matrix").Type);
        Assert.Equal(TypeRef.Integer, Property(Schema(spec, "ResponseChoice"), "index").Type);
    }

    [Fact]
    public void AdditionalProperties_with_a_schema_is_a_map_and_bare_objects_are_free_form_json()
    {
        var spec = ParseSchemas("""
                Bag:
                  type: object
                  properties:
                    metadata: { type: object, additionalProperties: { type: string } }
                    logit_bias: { type: object, additionalProperties: { type: number } }
                    nested: { type: object, additionalProperties: { type: object, properties: { x: { type: integer } } } }
                    open_map: { type: object, additionalProperties: true }
                    schema: { type: object, description: A JSON Schema. }
                    anything: {}
                    described: { description: No type at all. }
            """);

        var bag = Schema(spec, "Bag");
        Assert.Equal(new TypeRef(TypeKind.Map, Item: TypeRef.String), Property(bag, "metadata").Type);
        Assert.Equal(new TypeRef(TypeKind.Map, Item: TypeRef.Number), Property(bag, "logit_bias").Type);
        Assert.Equal(new TypeRef(TypeKind.Map, Item: new TypeRef(TypeKind.Named, "BagNestedValue")), Property(bag, "nested").Type);
        Assert.Equal(TypeRef.Json, Property(bag, "open_map").Type);
        Assert.Equal(TypeRef.Json, Property(bag, "schema").Type);
        Assert.Equal(TypeRef.Json, Property(bag, "anything").Type);
        Assert.Equal(TypeRef.Json, Property(bag, "described").Type);
    }

    [Fact]
    public void OneOf_of_string_and_array_is_a_union_with_one_case_per_json_kind()
    {
        var spec = ParseSchemas("""
                Message:
                  type: object
                  required: [content]
                  properties:
                    content:
                      description: Text or parts.
                      oneOf:
                        - type: string
                        - type: array
                          items: { $ref: '#/components/schemas/Part' }
                Part:
                  type: object
                  properties:
                    text: { type: string }
            """);

        var content = Property(Schema(spec, "Message"), "content");
        Assert.Equal(new TypeRef(TypeKind.Named, "MessageContent"), content.Type);
        Assert.True(content.Required);

        var union = Schema(spec, "MessageContent");
        Assert.Equal(SchemaKind.Union, union.Kind);
        Assert.Empty(union.Properties);
        Assert.Equal(
            [
                new UnionCaseSpec(JsonKind.String, "StringValue", TypeRef.String),
                new UnionCaseSpec(JsonKind.Array, "ArrayValue", new TypeRef(TypeKind.Array, Item: new TypeRef(TypeKind.Named, "Part"))),
            ],
            union.Cases);
    }

    [Fact]
    public void AnyOf_of_a_schema_and_null_is_that_schema_nullable()
    {
        var spec = ParseSchemas("""
                Choice:
                  type: object
                  required: [logprobs, text]
                  properties:
                    logprobs:
                      anyOf:
                        - $ref: '#/components/schemas/Logprobs'
                        - type: 'null'
                    text:
                      anyOf: [{ type: string }, { type: 'null' }]
                Logprobs:
                  type: object
                  properties:
                    content: { type: array, items: { type: number } }
            """);

        var choice = Schema(spec, "Choice");
        var logprobs = Property(choice, "logprobs");
        Assert.Equal(new TypeRef(TypeKind.Named, "Logprobs"), logprobs.Type);
        Assert.Equal((false, true), (logprobs.Required, logprobs.WriteNull));
        var text = Property(choice, "text");
        Assert.Equal(TypeRef.String, text.Type);
        Assert.Equal((false, true), (text.Required, text.WriteNull));
        Assert.DoesNotContain(spec.Schemas, static s => s.Kind == SchemaKind.Union);
    }

    [Fact]
    public void X_manifold_name_overrides_the_property_name_and_clashes_are_suffixed()
    {
        var spec = ParseSchemas("""
                Thing:
                  type: object
                  properties:
                    type: { type: string, x-manifold-name: Kind }
                    thing: { type: string }
                    additional_properties: { type: string }
                    validate: { type: boolean }
                    '2fa': { type: boolean }
            """);

        var thing = Schema(spec, "Thing");
        Assert.Equal("Kind", Property(thing, "type").ClrName);
        // A member may not share its class's name, nor the generated AdditionalProperties and Validate members.
        Assert.Equal("ThingValue", Property(thing, "thing").ClrName);
        Assert.Equal("AdditionalPropertiesValue", Property(thing, "additional_properties").ClrName);
        Assert.Equal("ValidateValue", Property(thing, "validate").ClrName);
        Assert.Equal("_2fa", Property(thing, "2fa").ClrName);
    }

    [Fact]
    public void Path_parameters_become_arguments_in_order_and_can_pick_the_platform()
    {
        var spec = ParseClean(Header + """
            paths:
              /v1/things/{thing_id}/parts/{part_id}:
                parameters:
                  - { name: thing_id, in: path, required: true, schema: { type: string } }
                get:
                  operationId: retrieve-part
                  parameters:
                    - { name: part_id, in: path, required: true, schema: { type: string } }
                    - { name: verbose, in: query, schema: { type: boolean } }
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Part' }
                  x-manifold-route-by: { path: thing_id }
            components:
              schemas:
                Part:
                  type: object
                  properties:
                    id: { type: string }
            """);

        var operation = Assert.Single(spec.Operations);
        Assert.Equal("retrieve-part", operation.OperationId);
        Assert.Equal("RetrievePartAsync", operation.MethodName);
        Assert.Equal("GET", operation.HttpMethod);
        Assert.Equal("/v1/things/{thing_id}/parts/{part_id}", operation.Path);
        Assert.Equal(["thing_id", "part_id"], operation.PathParameters);
        Assert.Null(operation.RequestType);
        Assert.Equal("Part", operation.ResponseType);
        Assert.Null(operation.StreamType);
        Assert.Equal(new RouteBySpec(RouteByKind.Path, "thing_id"), operation.RouteBy);
        Assert.Null(operation.Merge);
    }

    [Fact]
    public void Stream_route_by_body_and_merge_are_read_from_the_extensions()
    {
        var spec = ParseClean(Header + """
            paths:
              /v1/things:
                post:
                  operationId: createThing
                  summary: Creates a thing.
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [model_name]
                          properties:
                            model_name: { type: string }
                            stream_it: { type: boolean, x-manifold-name: Streaming }
                  responses:
                    '201':
                      description: Created
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Thing' }
                        text/event-stream:
                          schema: { $ref: '#/components/schemas/ThingChunk' }
                  x-manifold-stream: { when: stream_it }
                  x-manifold-route-by: { body: model_name }
                get:
                  operationId: listThings
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/ThingList' }
                  x-manifold-route-by: all
                  x-manifold-merge: data
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    id: { type: string }
                ThingChunk:
                  type: object
                  properties:
                    delta: { type: string }
                ThingList:
                  type: object
                  properties:
                    data: { type: array, items: { $ref: '#/components/schemas/Thing' } }
            """);

        // Operations come in the order of the HTTP methods (get before post), not of the file.
        Assert.Equal(["listThings", "createThing"], spec.Operations.Select(static o => o.OperationId));

        var create = spec.Operations.Single(static o => o.OperationId == "createThing");
        Assert.Equal(
            new OperationSpec(
                "createThing", "CreateThingAsync", "POST", "/v1/things", "Creates a thing.",
                EquatableArray<string>.Empty,
                RequestType: "CreateThingRequest",
                ResponseType: "Thing",
                StreamType: "ThingChunk",
                StreamWhen: "Streaming",
                StreamOnly: false,
                new RouteBySpec(RouteByKind.Body, "ModelName"),
                Merge: null,
                Aliases: EquatableArray<string>.Empty,
                QueryParameters: EquatableArray<QueryParameterSpec>.Empty,
                Paging: null,
                SuccessStatus: 201),
            create);
        // The inline request body became a class named after the operation.
        Assert.True(Property(Schema(spec, "CreateThingRequest"), "model_name").Required);

        var list = spec.Operations.Single(static o => o.OperationId == "listThings");
        Assert.Equal(new RouteBySpec(RouteByKind.All, null), list.RouteBy);
        Assert.Equal(new MergeSpec("Data", new TypeRef(TypeKind.Named, "Thing")), list.Merge);
        Assert.Null(list.StreamWhen);
    }

    [Theory]
    [InlineData("openai/models.yaml")]
    [InlineData("openai/chat-completions.yaml")]
    public void Real_specs_parse_without_diagnostics(string file)
    {
        var result = Parser.Parse(GeneratorDriverHelper.SpecPath(file), GeneratorDriverHelper.ReadSpec(file), CancellationToken.None);

        Assert.Empty(result.Diagnostics.Select(static d => $"{d.Id} at {d.LineSpan.Start}: {d.MessageArgs[0]}"));
        Assert.NotNull(result.Spec);
        Assert.Equal(file, result.Spec.FileName);
        Assert.NotEmpty(result.Spec.Operations);
    }

    [Fact]
    public void Real_chat_spec_models_the_request_and_the_nullable_finish_reason()
    {
        var spec = Parser.Parse("chat-completions.yaml", GeneratorDriverHelper.ReadSpec("openai/chat-completions.yaml"), CancellationToken.None).Spec!;

        var operation = Assert.Single(spec.Operations);
        Assert.Equal(("CreateChatCompletionRequest", "CreateChatCompletionResponse", "CreateChatCompletionStreamResponse", "Stream"),
            (operation.RequestType, operation.ResponseType, operation.StreamType, operation.StreamWhen));
        Assert.Equal(new RouteBySpec(RouteByKind.Body, "Model"), operation.RouteBy);

        var request = Schema(spec, "CreateChatCompletionRequest");
        Assert.True(Property(request, "model").Required);
        Assert.True(Property(request, "messages").Required);
        Assert.Equal(TypeRef.Boolean, Property(request, "stream").Type);

        var chunkChoice = Schema(spec, "CreateChatCompletionStreamResponseChoice");
        Assert.True(Property(chunkChoice, "finish_reason").WriteNull);
    }
}
