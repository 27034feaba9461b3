package voicecall.tts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.Objects;
import java.util.Optional;
import voicecall.tts.audio.PcmAudio;

/**
 * Synthesised sentences kept in memory, weighed by their size in bytes, so answering a known
 * question needs no synthesis. The key is the voice, the normalised sentence and the sample rate of
 * the audio. Least-recently and least-frequently used audio is evicted when the byte cap is
 * reached. Thread-safe.
 */
public final class AudioCache {

  /** Bytes counted per entry besides the samples: key, map node and value object. */
  private static final int ENTRY_OVERHEAD_BYTES = 96;

  private final Cache<Key, PcmAudio> cache;
  private final long maxBytes;

  private AudioCache(long maxBytes) {
    this.maxBytes = maxBytes;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((Key key, PcmAudio audio) -> weight(key, audio))
            .executor(Runnable::run)
            .recordStats()
            .build();
  }

  /**
   * A cache holding at most {@code maxBytes} of audio (a minute of 8 kHz audio is 960 000 bytes).
   *
   * @param maxBytes the cap, positive
   * @return the cache
   */
  public static AudioCache create(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("audio cache cap must be positive, was " + maxBytes);
    }
    return new AudioCache(maxBytes);
  }

  private static int weight(Key key, PcmAudio audio) {
    long bytes = (long) audio.sizeInBytes() + 2L * key.sentence().length() + ENTRY_OVERHEAD_BYTES;
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /**
   * The cached audio of a sentence, counted as a hit or a miss.
   *
   * @param voice the voice
   * @param sentence the normalised sentence
   * @param sampleRate the sample rate of the audio wanted
   * @return the audio, if cached
   */
  public Optional<PcmAudio> get(Voice voice, String sentence, int sampleRate) {
    return Optional.ofNullable(cache.getIfPresent(new Key(voice, sentence, sampleRate)));
  }

  /**
   * Whether a sentence is cached, without counting a hit or miss.
   *
   * @param voice the voice
   * @param sentence the normalised sentence
   * @param sampleRate the sample rate
   * @return true when cached
   */
  public boolean contains(Voice voice, String sentence, int sampleRate) {
    return cache.asMap().containsKey(new Key(voice, sentence, sampleRate));
  }

  /**
   * Stores the audio of a sentence.
   *
   * @param voice the voice
   * @param sentence the normalised sentence
   * @param audio the audio; its sample rate is part of the key
   */
  public void put(Voice voice, String sentence, PcmAudio audio) {
    cache.put(new Key(voice, sentence, audio.sampleRate()), audio);
  }

  /** Drops every entry (statistics are kept). */
  public void clear() {
    cache.invalidateAll();
  }

  /**
   * Counters and size, for metrics.
   *
   * @return a snapshot
   */
  public AudioCacheStats stats() {
    cache.cleanUp();
    CacheStats stats = cache.stats();
    long bytes = cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new AudioCacheStats(
        stats.hitCount(),
        stats.missCount(),
        stats.evictionCount(),
        cache.estimatedSize(),
        bytes,
        maxBytes);
  }

  private record Key(Voice voice, String sentence, int sampleRate) {
    Key {
      Objects.requireNonNull(voice, "voice");
      Objects.requireNonNull(sentence, "sentence");
    }
  }
}
