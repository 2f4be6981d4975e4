using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class Problems
{
    public static ProblemDetails None => WolverineContinue.NoProblems;

    public static ProblemDetails NotFound(string what, string id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = $"Unknown {what}",
        Detail = $"No {what} '{id}' is known.",
    };

    public static ProblemDetails BadRequest(IEnumerable<string> errors) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Invalid query",
        Detail = string.Join(" ", errors),
    };
}
