namespace Correlator.Cli;

/// <summary>
/// What every <c>correlator</c> command exits with, in the style of BSD's sysexits.h, so a script can tell a typo from
/// an unknown id from a service that is down. <c>gate</c> alone answers 0 go, 1 stop, 2 hold (see GateCommand).
/// Documented in docs/operations.md ("Exit codes").
/// </summary>
public static class ExitCodes
{
    /// <summary>Done; for a query, found.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (a backtest that did not finish, a busy port, anything not below).</summary>
    public const int Failure = 1;

    /// <summary>EX_USAGE: unknown command or option, a missing argument, an option value out of range.</summary>
    public const int Usage = 64;

    /// <summary>EX_DATAERR: an input file that exists but cannot be read as what it should be (malformed JSON, settings, outcomes).</summary>
    public const int BadInput = 65;

    /// <summary>EX_NOINPUT: no such input file or folder, or no such finding, update or host id.</summary>
    public const int NotFound = 66;

    /// <summary>EX_UNAVAILABLE: the service (or PostgreSQL) does not answer, or answers 5xx.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_NOPERM: the service refused the API key (401 or 403).</summary>
    public const int NotAuthorized = 77;

    /// <summary>EX_CONFIG: the configuration is missing or invalid (a connection string, a webhook, the broker address).</summary>
    public const int Configuration = 78;

    /// <summary>Ctrl-C, as shells report SIGINT (128 + 2).</summary>
    public const int Interrupted = 130;
}

/// <summary>A configuration that is missing or invalid: the command exits <see cref="ExitCodes.Configuration"/>.</summary>
public sealed class ConfigurationProblem(string message) : InvalidOperationException(message);
