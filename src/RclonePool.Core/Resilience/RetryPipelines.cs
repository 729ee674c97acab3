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
            // A remote whose circuit is open (RemoteCircuitBreaker) is not waited for: its rejection is final.
            ShouldHandle = new PredicateBuilder().Handle<PoolException>(e => e.IsTransient && !RemoteCircuitBreaker.IsRejection(e)),
            MaxRetryAttempts = config.MaxRetries,
            Delay = TimeSpan.FromSeconds(Math.Max(0.001, config.RetryDelay)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromSeconds(60),
        }).Build();
    }

    /// <summary>
    /// The circuit breaker every remote call of a pool goes through: a remote that failed transiently as many times in
    /// a row as one call with all its retries (<c>max_retries</c> + 1, at least 3) is skipped for
    /// <see cref="CircuitCoolDown"/>.
    /// </summary>
    public static RemoteCircuitBreaker CreateCircuitBreaker(PoolConfig config, TimeProvider? time = null) =>
        new(Math.Max(3, (config.EnableRetry ? config.MaxRetries : 0) + 1), CircuitCoolDown, time);

    /// <summary>How long a remote's open circuit rejects calls before they are tried again.</summary>
    public static readonly TimeSpan CircuitCoolDown = TimeSpan.FromSeconds(30);
}
