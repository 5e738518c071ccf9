using Pipeline.Host.Cli;
using Pipeline.Host.Service;

NativeAllocator.Configure();
return await CollectorCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
