namespace Portal.Core.Deadlines;

/// <summary>
/// A deadline request that breaks a rule (unknown unit, negative amount, date outside the supported range, a second
/// extension...). The message is Vietnamese and says what is wrong; pages and the API show it as it is.
/// </summary>
public sealed class DeadlineException(string message) : Exception(message);
