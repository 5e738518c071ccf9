using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Pipeline.Benchmarks.Payloads).Assembly).Run(args);
