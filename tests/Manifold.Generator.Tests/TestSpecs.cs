namespace Manifold.Generator.Tests;

/// <summary>Small inline specs shared by several test classes.</summary>
internal static class TestSpecs
{
    public const string SamplePath = "/repo/specs/test/sample.yaml";

    /// <summary>One operation whose request has unions (string | array, string enum | object, integer | boolean) and enums.</summary>
    public const string Sample = """
        openapi: 3.1.0
        info: { title: Snapshot sample, version: "1" }
        x-manifold:
          namespace: Manifold.Tests.Sample
          protocol: openai
          adapter: Sample
        paths:
          /v1/samples:
            post:
              operationId: createSample
              summary: Creates a sample.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/CreateSampleRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Sample' }
              x-manifold-route-by: { body: model }
        components:
          schemas:
            CreateSampleRequest:
              type: object
              description: What to sample.
              required: [model, input]
              properties:
                model: { type: string, description: The model to use. }
                input:
                  description: Text, or a list of parts.
                  oneOf:
                    - type: string
                    - type: array
                      items: { $ref: '#/components/schemas/Part' }
                tool_choice:
                  oneOf:
                    - type: string
                      enum: [none, auto]
                    - $ref: '#/components/schemas/Part'
                seed:
                  oneOf: [{ type: integer }, { type: boolean }]
                mode: { $ref: '#/components/schemas/Mode' }
                temperature: { type: number }
            Part:
              type: object
              required: [type]
              properties:
                type: { type: string, const: text }
                text: { type: string }
            Mode:
              type: string
              description: How to sample.
              enum: [fast, careful, by-the-book]
            Sample:
              type: object
              required: [id, object, stop_reason]
              properties:
                id: { type: string }
                object: { type: string, const: sample }
                stop_reason: { type: [string, "null"], enum: [done, limit] }
                scores: { type: object, additionalProperties: { type: number } }
        """;

    public const string EchoPath = "/repo/specs/test/echo.yaml";

    /// <summary>
    /// One POST with a required <c>model</c>, a <c>stream</c> flag and an SSE response: what the compile-and-run
    /// tests serve through the real host runtime.
    /// </summary>
    public const string Echo = """
        openapi: 3.1.0
        info: { title: Echo, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Echo, protocol: openai, adapter: Echo }
        paths:
          /v1/echo:
            post:
              operationId: createEcho
              summary: Echoes the request.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/EchoRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/EchoResponse' }
                    text/event-stream:
                      schema: { $ref: '#/components/schemas/EchoChunk' }
              x-manifold-stream: { when: stream }
              x-manifold-route-by: { body: model }
        components:
          schemas:
            EchoRequest:
              type: object
              required: [model]
              properties:
                model: { type: string }
                stream: { type: boolean }
                text: { type: string }
            EchoResponse:
              type: object
              required: [object, model]
              properties:
                object: { type: string, const: echo }
                model: { type: string }
                text: { type: string }
                platform: { type: string }
            EchoChunk:
              type: object
              required: [index, delta]
              properties:
                index: { type: integer }
                delta: { type: string }
        """;

    public const string GenPath = "/repo/specs/test/gen.yaml";

    /// <summary>
    /// Gemini's shape: the model in a complex path segment (<c>{model}:generateContent</c>), a streaming-only
    /// operation, route aliases, and camelCase JSON names also accepted in snake_case.
    /// </summary>
    public const string Gen = """
        openapi: 3.1.0
        info: { title: Gen, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Gen, protocol: openai, adapter: Gen, snake-case-aliases: true }
        paths:
          /v1beta/models/{model}:
            get:
              operationId: getModel
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Model' }
              x-manifold-route-by: { path: model }
          /v1beta/models/{model}:generateContent:
            post:
              operationId: generateContent
              summary: Generates a response.
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/GenerateContentRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/GenerateContentResponse' }
              x-manifold-route-by: { path: model }
              x-manifold-aliases: ['/v1/models/{model}:generateContent']
          /v1beta/models/{model}:streamGenerateContent:
            post:
              operationId: streamGenerateContent
              summary: Generates a response as a stream.
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/GenerateContentRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/GenerateContentResponse' }
                    text/event-stream:
                      schema: { $ref: '#/components/schemas/GenerateContentResponse' }
              x-manifold-stream: always
              x-manifold-route-by: { path: model }
              x-manifold-aliases:
                - /v1/models/{model}:streamGenerateContent
        components:
          schemas:
            GenerateContentRequest:
              type: object
              required: [contents]
              properties:
                contents: { type: array, items: { $ref: '#/components/schemas/Content' } }
                systemInstruction: { $ref: '#/components/schemas/Content' }
                generationConfig:
                  type: object
                  properties:
                    maxOutputTokens: { type: integer }
                    topK: { type: integer }
                    temperature: { type: number }
            Content:
              type: object
              properties:
                role: { type: string }
                parts:
                  type: array
                  items:
                    type: object
                    properties:
                      text: { type: string }
            GenerateContentResponse:
              type: object
              required: [modelVersion]
              properties:
                modelVersion: { type: string }
                text: { type: string }
                platform: { type: string }
                echo: { description: The request as the platform received it. }
            Model:
              type: object
              required: [name]
              properties:
                name: { type: string }
                displayName: { type: string }
        """;

    public const string PagedPath = "/repo/specs/test/paged.yaml";

    /// <summary>
    /// Query parameters: lists the host pages with page tokens (Google's style) and with item-id cursors (Anthropic's), a
    /// plain boolean passed to the adapter, and a required string and a bounded integer on a single resource.
    /// </summary>
    public const string Paged = """
        openapi: 3.1.0
        info: { title: Paged, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Paged, protocol: openai, adapter: Paged }
        paths:
          /v1/things:
            get:
              operationId: listThings
              parameters:
                - { name: pageSize, in: query, description: The most things per page., schema: { type: integer, default: 2 } }
                - { name: pageToken, in: query, schema: { type: string } }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/ThingPage' }
              x-manifold-route-by: all
              x-manifold-merge: things
              x-manifold-page: { size: pageSize, token: pageToken, next: nextPageToken, key: name, max-size: 3 }
          /v1/items:
            get:
              operationId: listItems
              parameters:
                - { name: limit, in: query, schema: { type: integer, default: 2, minimum: 1, maximum: 5 } }
                - { name: after_id, in: query, schema: { type: string } }
                - { name: before_id, in: query, schema: { type: string } }
                - { name: verbose, in: query, schema: { type: boolean, default: false } }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/ItemPage' }
              x-manifold-route-by: all
              x-manifold-merge: data
              x-manifold-page: { size: limit, after: after_id, before: before_id, key: id, has-more: has_more, first: first_id, last: last_id }
          /v1/things/{thing_id}:
            get:
              operationId: getThing
              parameters:
                - { name: thing_id, in: path, required: true, schema: { type: string } }
                - { name: view, in: query, required: true, schema: { type: string } }
                - { name: depth, in: query, schema: { type: integer, minimum: 0 } }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Thing' }
              x-manifold-route-by: { path: thing_id }
        components:
          schemas:
            Thing:
              type: object
              required: [name]
              properties:
                name: { type: string }
                note: { type: string }
            ThingPage:
              type: object
              properties:
                things: { type: array, items: { $ref: '#/components/schemas/Thing' } }
                nextPageToken: { type: string }
            Item:
              type: object
              required: [id]
              properties:
                id: { type: string }
                verbose: { type: boolean }
            ItemPage:
              type: object
              required: [data, has_more, first_id, last_id]
              properties:
                data: { type: array, items: { $ref: '#/components/schemas/Item' } }
                has_more: { type: boolean }
                first_id: { type: [string, "null"] }
                last_id: { type: [string, "null"] }
        """;

    public const string MediaPath = "/repo/specs/test/media.yaml";

    /// <summary>
    /// Parameter sources and response kinds beyond JSON: a body that is JSON or a form with file parts (one, and repeated),
    /// a 201, bytes, and DELETE.
    /// </summary>
    public const string Media = """
        openapi: 3.1.0
        info: { title: Media sample, version: "1" }
        x-manifold:
          namespace: Manifold.Tests.Media
          protocol: openai
          adapter: Clips
        paths:
          /v1/clips:
            post:
              operationId: createClip
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/CreateClipRequest' }
                  multipart/form-data:
                    schema: { $ref: '#/components/schemas/CreateClipForm' }
              responses:
                '201':
                  description: Created
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Clip' }
              x-manifold-route-by: { body: model }
          /v1/clips/{clip_id}:
            delete:
              operationId: deleteClip
              parameters:
                - { name: clip_id, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Clip' }
              x-manifold-route-by: { path: clip_id }
          /v1/clips/{clip_id}/content:
            get:
              operationId: getClipContent
              parameters:
                - { name: clip_id, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: The clip's bytes.
                  content:
                    video/mp4:
                      schema: { type: string, format: binary }
              x-manifold-route-by: { path: clip_id }
        components:
          schemas:
            CreateClipRequest:
              type: object
              required: [model, prompt]
              properties:
                model: { type: string }
                prompt: { type: string }
                seconds: { type: integer }
                options:
                  type: object
                  properties:
                    loop: { type: boolean }
                    label: { type: string }
                reference:
                  type: object
                  properties:
                    image_url: { type: string }
            CreateClipForm:
              type: object
              required: [model, prompt]
              properties:
                model: { type: string }
                prompt: { type: string }
                seconds: { type: integer }
                reference:
                  oneOf:
                    - { type: string, format: binary }
                    - type: object
                      properties:
                        image_url: { type: string }
                frames:
                  type: array
                  items: { type: string, format: binary }
            Clip:
              type: object
              required: [id]
              properties:
                id: { type: string }
                echo: { description: What the adapter received. }
        """;
}
