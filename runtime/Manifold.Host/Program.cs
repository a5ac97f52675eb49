using Manifold.Host;

// The content root (appsettings.json) is the app's own folder, not whatever
// directory it was launched from: `dotnet path/to/Manifold.Host.dll` must behave like `dotnet run`.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddManifold().BuildManifold().Run();

/// <summary>Entry point; public so WebApplicationFactory can find it.</summary>
public partial class Program;
