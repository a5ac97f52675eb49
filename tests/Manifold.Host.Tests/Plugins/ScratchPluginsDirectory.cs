namespace Manifold.Host.Tests.Plugins;

/// <summary>A fresh plugins directory for one test, laid out from pieces of the deployed test plugin.</summary>
internal sealed class ScratchPluginsDirectory : IDisposable
{
    public ScratchPluginsDirectory() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "manifold-plugins-" + Guid.NewGuid().ToString("N"));

    /// <summary>Copies the whole test plugin folder in, as <c>Manifold.TestPlugin/</c>; returns its main assembly's path.</summary>
    public string AddTestPluginFolder() => AddPluginFolder(TestPlugin.Folder);

    /// <summary>Copies a deployed plugin folder in, under its own name, subfolders included; returns its main assembly's path.</summary>
    public string AddPluginFolder(string deployedFolder)
    {
        string name = Path.GetFileName(deployedFolder);
        string folder = Path.Combine(Root, name);
        foreach (string file in Directory.GetFiles(deployedFolder, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(folder, Path.GetRelativePath(deployedFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return Path.Combine(folder, name + ".dll");
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
