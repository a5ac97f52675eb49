namespace Manifold.Host.Tests.Plugins;

/// <summary>A fresh plugins directory for one test, laid out from pieces of the deployed test plugin.</summary>
internal sealed class ScratchPluginsDirectory : IDisposable
{
    public ScratchPluginsDirectory() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "manifold-plugins-" + Guid.NewGuid().ToString("N"));

    /// <summary>Copies the whole test plugin folder in, as <c>Manifold.TestPlugin/</c>; returns its main assembly's path.</summary>
    public string AddTestPluginFolder()
    {
        string folder = Path.Combine(Root, TestPlugin.Name);
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(TestPlugin.Folder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return Path.Combine(folder, TestPlugin.Name + ".dll");
    }

    /// <summary>Copies one file of the test plugin's folder to the root, as a loose file; returns its path.</summary>
    public string AddLoose(string fileName)
    {
        string path = Path.Combine(Root, fileName);
        File.Copy(Path.Combine(TestPlugin.Folder, fileName), path);
        return path;
    }

    /// <summary>Writes <paramref name="contents"/> at <paramref name="relativePath"/>, creating folders; returns its path.</summary>
    public string AddFile(string relativePath, byte[] contents)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Windows keeps assemblies of a non-collectible load context open until the process exits; the OS temp cleanup gets them.
        }
    }
}
