using Polly;
using Polly.Retry;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Resilience;

/// <summary>
/// Retry for remote operations (<c>enable_retry</c>, <c>max_retries</c>, <c>retry_delay</c>): exponential
/// backoff with jitter, only for failures classed as transient.
/// </summary>
public static class RetryPipelines
{
    public static ResiliencePipeline Create(PoolConfig config, TimeProvider? time = null)
    {
        if (!config.EnableRetry || config.MaxRetries <= 0)
        {
            return ResiliencePipeline.Empty;
        }

        var builder = new ResiliencePipelineBuilder();
        if (time is not null)
        {
            builder.TimeProvider = time;
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PoolException>(e => e.IsTransient),
            MaxRetryAttempts = config.MaxRetries,
            Delay = TimeSpan.FromSeconds(Math.Max(0.001, config.RetryDelay)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromSeconds(60),
        }).Build();
    }
}
