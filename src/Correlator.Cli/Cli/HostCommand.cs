using System.CommandLine;
using Spectre.Console;

namespace Correlator.Cli;

public static class HostCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("HOST_ID") { Description = "A host id, as crash reports name it" };
        var command = new Command("host", "A host's timeline: the updates it installed and its crashes, in event time") { id };
        command.WithQueryOptions();
        command.SetAction((parse, ct) => QueryOptions.RunAsync(parse, async (source, output) =>
        {
            var hostId = parse.GetValue(id)!;
            var h = await source.HostAsync(hostId, ct);
            if (h is null) return await QueryOptions.NotFound(parse, "host", hostId);
            if (parse.Json()) { await QueryOptions.WriteJsonAsync(output, h); return 0; }

            var console = Terminal.For(output);
            console.WriteLine($"{h.HostId}  {h.Platform} {h.OsVersion}  region {h.Region ?? "-"}  fleet {h.Fleet ?? "-"}  ({h.Crashes} crashes, {h.Installations} installations)");
            var table = new Table().AddColumns("At", "Event", "Detail");
            foreach (var e in h.Timeline)
                table.AddRow(Terminal.When(e.At), e.Kind, Markup.Escape(e.Kind == "crash" ? e.Signature! : e.UpdateId!));
            console.Write(table);
            return 0;
        }));
        return command;
    }
}
