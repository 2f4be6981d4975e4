return await Correlator.Cli.CorrelatorCli.RunAsync(args);
