namespace Manifold.Contracts;

/// <summary>Generated DTOs check their required fields, recursively, without throwing.</summary>
public interface IValidatable
{
    /// <summary>Returns the first failure, with a path relative to this object, or null when valid.</summary>
    ValidationError? Validate();
}
