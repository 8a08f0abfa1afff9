using OpenTelemetry;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CommitmentTracker.Web.Observability;

/// <summary>Settings of traces and metrics (section "OpenTelemetry").</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>
    /// Where to send traces and metrics over OTLP (e.g. http://collector:4317). Empty: not exported, unless the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT variable is set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>"grpc" (default, port 4317) or "http/protobuf" (port 4318).</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Writes every finished span and, each minute, the metrics to the console: for a look on one machine.</summary>
    public bool Console { get; set; }
}

/// <summary>Wires OpenTelemetry: requests, Blazor events and circuits, database commands, and the app's own source and meter.</summary>
public static class ObservabilityHosting
{
    /// <summary>The meters of Blazor in .NET 10 (route changes and events, component lifecycle, circuits open).</summary>
    private static readonly string[] BlazorMeters =
        ["Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Lifecycle", "Microsoft.AspNetCore.Components.Server.Circuits"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        var endpoint = options.OtlpEndpoint is { Length: > 0 } configured ? configured : builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(Telemetry.Name, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(Telemetry.Name)
                    // A click in a page is a Blazor event on the circuit, not an HTTP request: its span is the root of a save's trace.
                    .AddSource("Microsoft.AspNetCore.Components")
                    .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context =>
                        !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/_framework"))
                    .AddNpgsql();
                if (options.Console)
                    tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(Telemetry.Name)
                    .AddMeter(BlazorMeters)
                    .AddMeter("Npgsql")
                    .AddAspNetCoreInstrumentation();
                if (options.Console)
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000);
            });
        if (endpoint is { Length: > 0 })
        {
            var protocol = string.Equals(options.Protocol, "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
                : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(endpoint));
        }
        return builder;
    }
}
