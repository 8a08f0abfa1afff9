using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The app as a process of its own (<c>dotnet CommitmentTracker.Web.dll</c> from the web project's build output), on
/// 127.0.0.1 and a port of its own, in Production, against a given database: one instance among several. Its Serilog
/// log (Information and up) goes to a file; it is stopped with SIGTERM, as an orchestrator stops a container.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly Process _process;

    private AppProcess(string name, Process process, int port, string logFile)
    {
        Name = name;
        _process = process;
        Port = port;
        LogFile = logFile;
    }

    /// <summary>The instance's name (App:InstanceName), e.g. "app1".</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the instance and waits (with a deadline) until it answers /health/live.</summary>
    public static async Task<AppProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, string logDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePort();
        var logFile = Path.Combine(logDirectory, $"{name}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WebOutputDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(WebOutputDirectory(), "CommitmentTracker.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = AppHost.Environment;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["App__InstanceName"] = name;
        // The app's log to a file, at Information: the sweep says there when it skips its turn.
        start.Environment["Serilog__WriteTo__0__Name"] = "File";
        start.Environment["Serilog__WriteTo__0__Args__path"] = logFile;
        start.Environment["Serilog__WriteTo__0__Args__outputTemplate"] = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
        foreach (var (key, value) in settings)
            start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        // Drained, or a full pipe would block the app; the log file has what matters.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(name, process, port, logFile);
        try
        {
            await app.WaitUntilLiveAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private async Task WaitUntilLiveAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Instance {Name} exited with {_process.ExitCode} while starting. End of its log {LogFile}:{Environment.NewLine}{ReadLogTail()}");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "health/live"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // slow to answer while starting
            }
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Instance {Name} did not answer /health/live within {StartTimeout}. End of its log:{Environment.NewLine}{ReadLogTail()}");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Stops the instance as an orchestrator would (SIGTERM) and waits until it has exited (SIGKILL after the deadline).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            await kill!.WaitForExitAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(cancellationToken);
        }
    }

    /// <summary>The instance's log so far (the file is still open for writing).</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    private string ReadLogTail(int maxCharacters = 6000)
    {
        var text = ReadLog();
        return text.Length <= maxCharacters ? text : "..." + text[^maxCharacters..];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>The web project's own build output (same configuration as the tests), where its static web assets manifest is.</summary>
    private static string WebOutputDirectory()
    {
        // The tests run from tests/CommitmentTracker.EndToEnd.Tests/bin/<Configuration>/<framework>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var folder = testOutput; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "global.json")))
            {
                var output = Path.Combine(folder.FullName, "src", "CommitmentTracker.Web", "bin", configuration, framework);
                return File.Exists(Path.Combine(output, "CommitmentTracker.Web.dll"))
                    ? output
                    : throw new InvalidOperationException($"The web app is not built at {output}: build the solution first.");
            }
        }
        throw new InvalidOperationException($"No global.json above {AppContext.BaseDirectory}: cannot find the repository root.");
    }
}
