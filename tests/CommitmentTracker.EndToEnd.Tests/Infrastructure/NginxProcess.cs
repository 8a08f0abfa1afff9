using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's nginx as a load balancer in front of two app instances, running the repository's own docker/nginx.conf with
/// only the addresses replaced (app1:8080, app2:8080 and the listen port), from a temporary prefix folder, not daemonised
/// (a child process of the tests). Keeps its access log (stdout), which names the upstream of every request.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    /// <summary>Where Debian installs nginx.</summary>
    public const string DefaultPath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;
    private readonly ConcurrentQueue<string> _accessLog = new();
    private readonly ConcurrentQueue<string> _errorLog = new();

    private NginxProcess(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _accessLog.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _errorLog.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>One line per request: the request, its status, the node cookie and the upstream address(es) that served it.</summary>
    public IReadOnlyList<string> AccessLog => [.. _accessLog];

    public string ErrorLog => string.Join(Environment.NewLine, _errorLog);

    /// <summary>Starts nginx in front of <paramref name="app1"/> and <paramref name="app2"/> and waits until it accepts connections.</summary>
    public static async Task<NginxProcess> StartAsync(int app1Port, int app2Port, CancellationToken cancellationToken)
    {
        var nginx = Environment.GetEnvironmentVariable("CT_NGINX_PATH") is { Length: > 0 } path ? path : DefaultPath;
        // The test command installs nginx; a missing one is a broken machine, not a reason to skip.
        if (!File.Exists(nginx))
        {
            throw new InvalidOperationException(
                $"nginx is not installed at {nginx}. Install it with: sudo apt-get install -y nginx-light (or nginx); ./test.sh does so when run as root.");
        }

        var prefix = Directory.CreateTempSubdirectory("ct-nginx-").FullName;
        // Workers run as an unprivileged user when the tests run as root: they must reach the temp folders.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(prefix, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        var port = AppProcess.FreePort();
        var config = Replace(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docker", "nginx.conf"), cancellationToken),
            ("app1:8080", $"127.0.0.1:{app1Port}"),
            ("app2:8080", $"127.0.0.1:{app2Port}"),
            ("listen 80;", $"listen 127.0.0.1:{port};"));
        var configFile = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configFile, config, cancellationToken);

        var start = new ProcessStartInfo(nginx)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", prefix + "/", "-c", configFile })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var balancer = new NginxProcess(process, prefix, port);
        try
        {
            await balancer.WaitUntilListeningAsync(cancellationToken);
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
        return balancer;
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {ErrorLog}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>The upstream addresses (127.0.0.1:port) that served the requests whose line contains <paramref name="text"/>.</summary>
    public IReadOnlyList<string> UpstreamsOf(string text) =>
        [.. AccessLog.Where(line => line.Contains(text, StringComparison.Ordinal))
            .Select(line => line[(line.LastIndexOf("upstream=", StringComparison.Ordinal) + "upstream=".Length)..].Trim())];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: nginx's fast shutdown; the master takes its workers with it.
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
                await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        if (Directory.Exists(_prefix))
            Directory.Delete(_prefix, recursive: true);
    }

    private static string Replace(string config, params (string From, string To)[] replacements)
    {
        foreach (var (from, to) in replacements)
        {
            if (!config.Contains(from, StringComparison.Ordinal))
                throw new InvalidOperationException($"docker/nginx.conf no longer contains '{from}': the test cannot point it at the test instances.");
            config = config.Replace(from, to, StringComparison.Ordinal);
        }
        return config;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "global.json")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No global.json above {AppContext.BaseDirectory}: cannot find the repository root.");
    }
}
