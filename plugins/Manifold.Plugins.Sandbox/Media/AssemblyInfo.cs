using System.Runtime.CompilerServices;

// The media encoders are internal to the sandbox plugin; their tests (bit writer, exp-Golomb, emulation
// prevention, the encoders against ffprobe) reach them from the plugin test project.
[assembly: InternalsVisibleTo("Manifold.Plugins.Tests")]
