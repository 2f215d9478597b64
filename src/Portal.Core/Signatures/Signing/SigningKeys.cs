using Microsoft.Extensions.Configuration;

namespace Portal.Core.Signatures;

/// <summary>
/// Which key signs for which agency unit (SIGNATURES.md §11): a PKCS#12 file per unit under
/// <c>Portal:Signing:Units:{agency code}:Pkcs12</c>, else the default <c>Portal:Signing:Pkcs12</c>; the password is read
/// from the file named by <c>PasswordFile</c> next to it (never from the command line or the environment itself).
/// </summary>
public sealed class SigningKeys(IConfiguration config)
{
    /// <summary>The unit's key, loaded from its file; null when neither the unit nor the default has one configured.</summary>
    public SigningKey? For(string? agencyCode)
    {
        var section = agencyCode is not null && config.GetSection($"Portal:Signing:Units:{agencyCode}")["Pkcs12"] is not null
            ? config.GetSection($"Portal:Signing:Units:{agencyCode}")
            : config.GetSection("Portal:Signing");
        if (section["Pkcs12"] is not { Length: > 0 } path) return null;
        var password = section["PasswordFile"] is { Length: > 0 } file ? File.ReadAllText(file).Trim() : null;
        return SigningKey.FromPkcs12(path, password);
    }
}
