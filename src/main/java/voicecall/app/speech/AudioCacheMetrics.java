package voicecall.app.speech;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import voicecall.tts.AudioCache;
import voicecall.tts.AudioCacheStats;

/**
 * The audio cache's counters as meters, read from {@link AudioCache#stats()} at each scrape: {@code
 * voicecall.tts.cache.hits}, {@code .misses}, {@code .evictions} (counters) and {@code
 * voicecall.tts.cache.entries}, {@code .bytes}, {@code .max.bytes} (gauges).
 */
final class AudioCacheMetrics implements MeterBinder {

  private final AudioCache cache;

  AudioCacheMetrics(AudioCache cache) {
    this.cache = cache;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "hits", "Sentences found in the audio cache", AudioCacheStats::hits);
    counter(registry, "misses", "Sentences not in the audio cache", AudioCacheStats::misses);
    counter(
        registry,
        "evictions",
        "Sentences dropped to keep under the cap",
        AudioCacheStats::evictions);
    gauge(registry, "entries", "Sentences held", null, AudioCacheStats::entries);
    gauge(registry, "bytes", "Weighed size held", "bytes", AudioCacheStats::bytes);
    gauge(registry, "max.bytes", "The cap", "bytes", AudioCacheStats::maxBytes);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<AudioCacheStats> value) {
    FunctionCounter.builder(
            "voicecall.tts.cache." + name, cache, c -> value.applyAsDouble(c.stats()))
        .description(description)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      @org.jspecify.annotations.Nullable String unit,
      ToDoubleFunction<AudioCacheStats> value) {
    Gauge.builder("voicecall.tts.cache." + name, cache, c -> value.applyAsDouble(c.stats()))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }
}
