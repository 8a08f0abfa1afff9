using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Teams;

namespace CommitmentTracker.Domain.Tests;

public sealed class AccountTests
{
    [Fact]
    public void An_account_needs_a_name()
    {
        Assert.Equal("Account name is required.", Assert.Throws<DomainException>(() => Account.Create(" ", null, Build.Now)).Message);
    }

    [Fact]
    public void A_refused_rename_leaves_the_account_as_it_was()
    {
        var account = Account.Create("Acme Foods", "Food", Build.Now);

        Assert.Throws<DomainException>(() => account.Rename("Acme Group", new string('x', FieldLengths.ShortText + 1)));

        Assert.Equal(("Acme Foods", "Food"), (account.Name, account.Industry!));
    }

    [Fact]
    public void A_contact_is_added_with_their_role_and_permission()
    {
        var account = Account.Create(" Acme Foods ", "Food", Build.Now);

        var contact = account.AddContact(" Eva Buyer ", ContactRole.Buyer, "eva@acme.example", null, mayContactTheirManager: false);

        Assert.Equal(("Acme Foods", "Eva Buyer", ContactRole.Buyer, account.Id), (account.Name, contact.Name, contact.Role, contact.AccountId));
        Assert.False(contact.MayContactTheirManager);
        Assert.Same(contact, account.Contact(contact.Id));
    }

    [Fact]
    public void Two_contacts_with_the_same_name_are_refused()
    {
        var account = Account.Create("Acme Foods", null, Build.Now);
        account.AddContact("Eva Buyer", ContactRole.Buyer, null, null, false);

        var ex = Assert.Throws<DomainException>(() => account.AddContact("eva buyer", ContactRole.User, null, null, false));

        Assert.Contains("already has a contact named", ex.Message, StringComparison.Ordinal);
        Assert.Single(account.Contacts);
    }

    [Fact]
    public void The_buyer_can_give_and_withdraw_permission_to_contact_their_manager()
    {
        var contact = Account.Create("Acme Foods", null, Build.Now).AddContact("Eva Buyer", ContactRole.Buyer, null, null, false);

        contact.SetPermissionToContactManager(true);
        Assert.True(contact.MayContactTheirManager);

        contact.SetPermissionToContactManager(false);
        Assert.False(contact.MayContactTheirManager);
    }

    [Fact]
    public void A_contact_of_another_account_is_not_found()
    {
        var other = Account.Create("Other", null, Build.Now).AddContact("Eva", ContactRole.Buyer, null, null, true);

        Assert.Throws<DomainException>(() => Account.Create("Acme", null, Build.Now).Contact(other.Id));
    }

    [Fact]
    public void A_contact_is_edited_with_role_permission_email_and_phone()
    {
        var account = Account.Create("Acme Foods", null, Build.Now);
        var contact = account.AddContact("Eva Buyer", ContactRole.Buyer, null, null, false);

        account.UpdateContact(contact.Id, " Eva Lind ", ContactRole.Approver, " eva@acme.example ", "+46 8 123", mayContactTheirManager: true);

        Assert.Equal(("Eva Lind", ContactRole.Approver, "eva@acme.example", "+46 8 123", true),
            (contact.Name, contact.Role, contact.Email!, contact.Phone!, contact.MayContactTheirManager));
    }

    [Fact]
    public void A_contact_may_keep_their_own_name_but_not_take_another_contacts()
    {
        var account = Account.Create("Acme Foods", null, Build.Now);
        var eva = account.AddContact("Eva Buyer", ContactRole.Buyer, null, null, false);
        account.AddContact("Bo Boss", ContactRole.BuyersBoss, null, null, false);

        account.UpdateContact(eva.Id, "EVA BUYER", ContactRole.Buyer, null, null, false);
        var ex = Assert.Throws<DomainException>(() => account.UpdateContact(eva.Id, "bo boss", ContactRole.Buyer, null, null, false));

        Assert.Equal("Acme Foods already has a contact named bo boss.", ex.Message);
        Assert.Equal("EVA BUYER", eva.Name);
    }

    [Theory]
    [InlineData("eva")]
    [InlineData("@acme.example")]
    [InlineData("eva@")]
    [InlineData("eva@@acme.example")]
    [InlineData("eva lind@acme.example")]
    public void A_contact_with_an_email_that_is_no_address_is_refused_and_left_unchanged(string email)
    {
        var account = Account.Create("Acme Foods", null, Build.Now);
        var contact = account.AddContact("Eva Buyer", ContactRole.Buyer, "eva@acme.example", null, false);

        var ex = Assert.Throws<DomainException>(() => account.UpdateContact(contact.Id, "Eva Lind", ContactRole.User, email, "123", true));

        Assert.Contains("is not a valid email address", ex.Message, StringComparison.Ordinal);
        Assert.Equal(("Eva Buyer", ContactRole.Buyer, "eva@acme.example", null, false),
            (contact.Name, contact.Role, contact.Email!, contact.Phone, contact.MayContactTheirManager));
        Assert.Throws<DomainException>(() => account.AddContact("Bo", ContactRole.User, email, null, false));
    }

    [Fact]
    public void A_contact_with_an_undefined_role_is_refused()
    {
        var account = Account.Create("Acme Foods", null, Build.Now);
        var contact = account.AddContact("Eva Buyer", ContactRole.Buyer, null, null, false);

        Assert.Throws<DomainException>(() => account.UpdateContact(contact.Id, "Eva", (ContactRole)42, null, null, false));
        Assert.Equal(ContactRole.Buyer, contact.Role);
    }

    [Fact]
    public void A_team_needs_a_name_and_may_get_a_manager_later()
    {
        Assert.Throws<DomainException>(() => Team.Create(" ", null));
        var team = Team.Create("North", null);

        team.AppointManager(Build.Manager);

        Assert.Equal(("North", Build.Manager), (team.Name, team.ManagerId!));
    }
}
