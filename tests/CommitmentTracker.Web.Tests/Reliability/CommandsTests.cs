using CommitmentTracker.Domain;
using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using FluentValidation.Results;
using Npgsql;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CommitmentTracker.Web.Tests.Reliability;

/// <summary>The boundary of every user action: refusals read as their message; any other fault is a logged, quotable message.</summary>
[Collection(nameof(StaticLoggerCollection))]
public sealed class CommandsTests
{
    public static TheoryData<Exception> Refusals => new()
    {
        new DomainException("The promised date is in the past."),
        new ValidationException([new ValidationFailure("Summary", "Write what was said.")]),
        new ConcurrencyConflictException("Someone else changed it."),
        new RecordNotFoundException("deal"),
        new AccessDeniedException("Only the deal's rep can change it."),
        new AccessChangedException(AccessChange.Deactivated),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_reads_as_its_own_message_and_is_not_a_fault(Exception refusal)
    {
        var error = await Commands.OutcomeOfAsync(() => throw refusal);

        Assert.NotNull(error);
        Assert.False(error.IsFault);
        Assert.Equal(refusal is ValidationException v ? v.Errors.Single().ErrorMessage : refusal.Message, error.Message);
    }

    [Fact]
    public async Task An_unexpected_fault_keeps_the_input_message_and_is_logged_with_the_reference_the_user_sees()
    {
        var sink = new Collect();
        var previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        try
        {
            // What PostgreSQL said before validators refused NUL: it used to end the circuit.
            var fault = new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021");
            var saveError = await Commands.OutcomeOfAsync(() => throw fault);
            var loadMessage = await Commands.LoadErrorOfAsync(() => throw new InvalidOperationException("boom"));

            Assert.NotNull(saveError);
            Assert.True(saveError.IsFault);
            Assert.StartsWith("That didn't save:", saveError.Message, StringComparison.Ordinal);
            Assert.Contains("still here", saveError.Message, StringComparison.Ordinal);
            Assert.EndsWith($"Try again. Reference: {saveError.Reference}", saveError.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("22021", saveError.Message, StringComparison.Ordinal);
            Assert.StartsWith("That didn't load:", loadMessage, StringComparison.Ordinal);
            var logged = Assert.Single(sink.Events, e => e.Properties.TryGetValue("ErrorReference", out var r) && r.ToString() == $"\"{saveError.Reference}\"");
            Assert.Equal(LogEventLevel.Error, logged.Level);
            Assert.Same(fault, logged.Exception);
        }
        finally
        {
            Log.Logger = previous;
        }
    }

    [Fact]
    public async Task Cancellation_is_not_turned_into_a_message()
    {
        await Assert.ThrowsAsync<OperationCanceledException>(() => Commands.OutcomeOfAsync(() => throw new OperationCanceledException()));
    }

    private sealed class Collect : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public IReadOnlyList<LogEvent> Events { get { lock (_events) return [.. _events]; } }

        public void Emit(LogEvent logEvent) { lock (_events) _events.Add(logEvent); }
    }
}

/// <summary>Tests that replace Serilog's static logger run one at a time.</summary>
[CollectionDefinition(nameof(StaticLoggerCollection), DisableParallelization = true)]
public sealed class StaticLoggerCollection;
