package voicecall.tts;

/**
 * A snapshot of the audio cache's counters.
 *
 * @param hits lookups that found audio
 * @param misses lookups that did not
 * @param evictions entries dropped to stay under the cap
 * @param entries entries now held
 * @param bytes weighed size now held
 * @param maxBytes the cap
 */
public record AudioCacheStats(
    long hits, long misses, long evictions, long entries, long bytes, long maxBytes) {

  /** Validates the counters. */
  public AudioCacheStats {
    if (hits < 0 || misses < 0 || evictions < 0 || entries < 0 || bytes < 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("cache counters must not be negative");
    }
  }

  /**
   * Share of lookups that hit.
   *
   * @return from 0 to 1; 0 before any lookup
   */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
