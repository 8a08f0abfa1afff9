using FluentValidation;

namespace CommitmentTracker.Web.Features;

/// <summary>
/// A FluentValidation validator that also feeds MudForm field by field, so the form and the server
/// use the very same rules.
/// </summary>
public abstract class ModelValidator<T> : AbstractValidator<T>
{
    /// <summary>For MudForm's Validation parameter: validates one property of the model.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<T>.CreateWithOptions((T)model, o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    /// <summary>Validates on the server before saving; throws with every message when invalid.</summary>
    public async Task EnsureValidAsync(T model, CancellationToken cancellationToken = default) =>
        await this.ValidateAndThrowAsync(model, cancellationToken);
}
