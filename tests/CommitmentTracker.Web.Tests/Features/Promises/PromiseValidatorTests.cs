using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Promises;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Promises;

/// <summary>The rules the promise forms show next to their fields, and the service checks again before saving.</summary>
public sealed class PromiseValidatorTests
{
    private static readonly FakeTimeProvider Clock = new(Now);
    private readonly AddPromiseValidator _add = new(Clock);
    private readonly RenegotiateValidator _renegotiate = new(Clock);

    [Fact]
    public void A_complete_promise_of_ours_is_valid()
    {
        Assert.True(_add.Validate(Valid()).IsValid);
    }

    [Fact]
    public void A_promise_needs_a_description_an_owner_and_a_promised_date()
    {
        var input = Valid();
        input.Description = "";
        input.OwnerId = null;
        input.PromisedDate = null;

        Assert.Equal(
            ["Describe what is promised.", "Pick who owns this promise.", "Enter the promised date."],
            Messages(input));
    }

    [Fact]
    public void The_promised_date_may_be_today_but_not_in_the_past()
    {
        var today = Valid();
        today.PromisedDate = Date(Today);
        var yesterday = Valid();
        yesterday.PromisedDate = Date(Today.AddDays(-1));

        Assert.True(_add.Validate(today).IsValid);
        Assert.Equal(["The promised date cannot be in the past."], Messages(yesterday));
    }

    [Fact]
    public void The_need_date_is_optional_but_not_in_the_past()
    {
        var none = Valid();
        none.NeedDate = null;
        var past = Valid();
        past.NeedDate = Date(Today.AddDays(-3));

        Assert.True(_add.Validate(none).IsValid);
        Assert.Equal(["The customer's need date cannot be in the past."], Messages(past));
    }

    [Fact]
    public void A_customers_promise_belongs_to_the_customer_department_and_ours_to_one_of_ours()
    {
        var theirs = Valid();
        theirs.Direction = CommitmentDirection.Theirs;
        var ours = Valid();
        ours.Department = Department.Customer;

        Assert.Equal(["A promise of the customer's belongs to the Customer department."], Messages(theirs));
        Assert.Equal(["A promise of ours belongs to one of our departments, not Customer."], Messages(ours));
    }

    [Fact]
    public void Choosing_to_write_a_reason_requires_the_reason()
    {
        var input = Valid();
        input.AggressiveHandling = AggressiveHandling.WriteReason;

        Assert.Equal(["Write why this date is safe to promise, or ask your manager to approve it."], Messages(input));
    }

    [Fact]
    public void An_acknowledging_contact_needs_the_channel()
    {
        var input = Valid();
        input.AcknowledgedByContactId = Guid.NewGuid();

        Assert.Equal(["Say how the customer acknowledged the promise."], Messages(input));
    }

    [Fact]
    public void A_renegotiation_needs_a_future_date_who_agreed_when_not_in_the_future_and_why()
    {
        var input = new RenegotiateInput { NewDate = Date(Today.AddDays(-1)), AgreedOn = Date(Today.AddDays(1)) };

        var messages = _renegotiate.Validate(input).Errors.Select(e => e.ErrorMessage);

        Assert.Equal(
            [
                "The new promised date cannot be in the past.",
                "Say who at the customer agreed the new date.",
                "The agreement cannot be dated in the future.",
                "Say why the date moves.",
            ],
            messages);
    }

    [Fact]
    public void A_waiver_needs_a_reason_and_the_confirmation_and_a_rejection_a_reason()
    {
        var waiver = new WaiveValidator().Validate(new WaiveInput()).Errors.Select(e => e.ErrorMessage);
        var rejection = new RejectAggressiveValidator().Validate(new RejectAggressiveInput { Reason = "  " }).Errors.Select(e => e.ErrorMessage);

        Assert.Equal(["Say why the promise is waived.", "Confirm that the promise is cancelled by agreement with the customer."], waiver);
        Assert.Equal(["Say why the date is rejected, so the rep can agree a safer one."], rejection);
    }

    private string[] Messages(AddPromiseInput input) => _add.Validate(input).Errors.Select(e => e.ErrorMessage).ToArray();

    private static AddPromiseInput Valid() => new()
    {
        Direction = CommitmentDirection.Ours,
        Kind = CommitmentKind.Installation,
        Description = "Install charging racks in both warehouses",
        OwnerId = "rep-1",
        Department = Department.Service,
        PromisedDate = Date(Today.AddDays(40)),
        NeedDate = Date(Today.AddDays(45)),
    };

    private static DateTime Date(DateOnly date) => date.ToDateTime(TimeOnly.MinValue);
}
