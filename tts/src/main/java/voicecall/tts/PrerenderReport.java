package voicecall.tts;

import java.util.List;

/**
 * What a pre-render pass did.
 *
 * @param sentences distinct sentences found in the texts
 * @param rendered sentences synthesised and cached now
 * @param alreadyCached sentences that were cached before
 * @param failures one line per sentence that could not be synthesised, immutable
 */
public record PrerenderReport(
    int sentences, int rendered, int alreadyCached, List<String> failures) {

  /** Validates and copies. */
  public PrerenderReport {
    failures = List.copyOf(failures);
    if (sentences < 0 || rendered < 0 || alreadyCached < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
